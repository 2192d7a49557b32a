namespace MLNetFlows.Torch.Imaging;

/// <summary>How <see cref="ImageCodec"/> decodes: the channels wanted and the decompression-bomb limit.</summary>
public sealed class ImageDecodeOptions
{
    /// <summary>
    /// Channels of the decoded pixels: 1 gray, 3 RGB or 4 RGBA, whatever the file stores. Colour becomes gray by
    /// ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B, as JPEG's Y and Pillow's "L"), gray is replicated to colour,
    /// alpha is dropped or added as opaque (255). No gamma correction is applied; 16-bit samples keep their high byte.
    /// </summary>
    public int Channels { get; init; } = Defaults.Channels;

    /// <summary>
    /// Largest image accepted, in pixels (width × height): an image whose header declares more, or a side longer
    /// than <see cref="ImageCodec.MaxSide"/>, is refused from its header alone, before any pixel memory is allocated.
    /// </summary>
    public long MaxPixels { get; init; } = Defaults.MaxPixels;

    /// <summary>Default values, shared by these options and the <see cref="ImageCodec"/> overloads.</summary>
    public static class Defaults
    {
        /// <summary>RGB.</summary>
        public const int Channels = 3;

        /// <summary>
        /// 100 000 000 pixels (10 000 × 10 000; 400 MB as RGBA): above any camera photo or dataset image, below what a
        /// decompression bomb (a few kilobytes declaring gigapixels) asks for. Pillow refuses from about 179 million.
        /// </summary>
        public const long MaxPixels = 100_000_000;
    }
}
