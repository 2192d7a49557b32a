namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>
/// The decompression-bomb guard: an image whose header declares more than <see cref="MaxSide"/> pixels per side, or
/// more than a caller's pixel limit in all, is refused from the header alone, before any pixel memory is allocated.
/// </summary>
internal static class ImageSizeLimit
{
    /// <summary>The largest width or height accepted (PNG allows 2³¹ − 1, JPEG 65 500; SkiaSharp's bitmaps stay far below).</summary>
    public const int MaxSide = 65_535;

    /// <summary>Refuses a declared size over the limits.</summary>
    /// <param name="width">The declared width (positive).</param>
    /// <param name="height">The declared height (positive).</param>
    /// <param name="maxPixels">The largest width × height accepted.</param>
    /// <exception cref="InvalidImageException">The size is over a limit.</exception>
    public static void Check(long width, long height, long maxPixels)
    {
        if (width > MaxSide || height > MaxSide)
        {
            throw new InvalidImageException($"image declares {width}x{height} pixels, over the limit of {MaxSide} pixels per side (decompression-bomb guard)");
        }

        long pixels = width * height;
        if (pixels > maxPixels)
        {
            throw new InvalidImageException($"image declares {width}x{height} = {pixels} pixels, over the limit of {maxPixels} pixels (decompression-bomb guard)");
        }
    }
}
