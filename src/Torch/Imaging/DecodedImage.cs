namespace MLNetFlows.Torch.Imaging;

/// <summary>
/// 8-bit pixels decoded by <see cref="ImageCodec"/>: interleaved (gray; R, G, B; or R, G, B, A per pixel), rows top
/// to bottom, no padding, so the sample of channel <c>c</c> at column <c>x</c>, row <c>y</c> is
/// <c>Pixels[(y * Width + x) * Channels + c]</c>: the layout of a [Height, Width, Channels] uint8 tensor.
/// </summary>
public sealed class DecodedImage
{
    internal DecodedImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Channels per pixel: 1 (gray), 3 (RGB) or 4 (RGBA).</summary>
    public int Channels { get; }

    /// <summary>The <c>Width * Height * Channels</c> samples. The array is the caller's: nothing else refers to it.</summary>
#pragma warning disable CA1819 // The decoded array is handed over as is, to be wrapped in a tensor without a copy.
    public byte[] Pixels { get; }
#pragma warning restore CA1819
}
