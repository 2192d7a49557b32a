namespace MLNetFlows.Data;

/// <summary>
/// A decoded image held in managed memory: the values of an <see cref="ImageDataViewType"/> column.
/// Immutable. Pixels are interleaved 8-bit channels (<see cref="ChannelCount"/> per pixel), row-major with no
/// row padding, so pixel (x, y) channel c is at <c>(y * Width + x) * ChannelCount + c</c>.
/// Image decoders construct it with <see cref="CreateFromPixels(int, int, MLPixelFormat, ReadOnlySpan{byte})"/>.
/// </summary>
public sealed class MLImage
{
    private readonly byte[] _pixels;

    private MLImage(int width, int height, MLPixelFormat pixelFormat, byte[] pixels)
    {
        Width = width;
        Height = height;
        PixelFormat = pixelFormat;
        _pixels = pixels;
    }

    /// <summary>Gets the width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the pixel format.</summary>
    public MLPixelFormat PixelFormat { get; }

    /// <summary>Gets the number of 8-bit channels per pixel.</summary>
    public int ChannelCount => (int)PixelFormat;

    /// <summary>Gets the number of bits per pixel.</summary>
    public int BitsPerPixel => ChannelCount * 8;

    /// <summary>Gets the pixel data: <see cref="Height"/> × <see cref="Width"/> × <see cref="ChannelCount"/> bytes.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>Creates an image from pixel data, which is copied.</summary>
    /// <param name="width">The width in pixels (positive).</param>
    /// <param name="height">The height in pixels (positive).</param>
    /// <param name="pixelFormat">The layout of <paramref name="pixels"/>.</param>
    /// <param name="pixels">Exactly width × height × channels bytes.</param>
    /// <returns>The image.</returns>
    public static MLImage CreateFromPixels(int width, int height, MLPixelFormat pixelFormat, ReadOnlySpan<byte> pixels)
    {
        int expected = CheckShape(width, height, pixelFormat);
        Guard.IsTrue(pixels.Length == expected, $"{expected} pixel bytes ({width} × {height} × {(int)pixelFormat})", $"{pixels.Length}", nameof(pixels));
        return new MLImage(width, height, pixelFormat, pixels.ToArray());
    }

    /// <summary>Creates an image that takes ownership of <paramref name="pixels"/> (no copy): the caller must not keep a reference.</summary>
    internal static MLImage TakeOwnership(int width, int height, MLPixelFormat pixelFormat, byte[] pixels)
    {
        int expected = CheckShape(width, height, pixelFormat);
        Guard.IsTrue(pixels.Length == expected, $"{expected} pixel bytes", $"{pixels.Length}", nameof(pixels));
        return new MLImage(width, height, pixelFormat, pixels);
    }

    /// <inheritdoc/>
    public override string ToString() => $"MLImage {Width} × {Height} {PixelFormat}";

    private static int CheckShape(int width, int height, MLPixelFormat pixelFormat)
    {
        Guard.MustBeGreaterThan(width, 0);
        Guard.MustBeGreaterThan(height, 0);
        Guard.IsTrue(Enum.IsDefined(pixelFormat), "a defined MLPixelFormat", pixelFormat.ToString(), nameof(pixelFormat));
        long size = (long)width * height * (int)pixelFormat;
        Guard.IsTrue(size <= Array.MaxLength, $"at most {Array.MaxLength} pixel bytes", $"{size}", nameof(width));
        return (int)size;
    }
}
