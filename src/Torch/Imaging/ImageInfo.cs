namespace MLNetFlows.Torch.Imaging;

/// <summary>What an image's header declares, read by <see cref="ImageCodec.Probe"/> without decoding any pixel.</summary>
/// <param name="Format">The encoded format.</param>
/// <param name="Width">Width in pixels, as declared.</param>
/// <param name="Height">Height in pixels, as declared.</param>
/// <param name="Channels">
/// Channels the file stores: 1 gray, 2 gray + alpha, 3 colour, 4 colour + alpha (or a CMYK JPEG). A palette PNG counts
/// as 3, or 4 when it has transparency. Decoding converts to whichever of 1, 3 or 4 channels is asked for.
/// </param>
public readonly record struct ImageInfo(ImageFormat Format, int Width, int Height, int Channels);
