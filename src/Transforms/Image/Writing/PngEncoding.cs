using System.Buffers;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Encodes pixels as PNG with SkiaSharp (libpng inside, as ImageAnalytics' <c>MLImage.Save</c>): 8-bit gray, RGB or
/// RGBA, deterministic for a given compression level, so the encoded size can serve as a measure of image
/// complexity (Serrà et al. 2020) as well as for writing samples.
/// </summary>
public static class PngEncoding
{
    /// <summary>The default zlib compression level (libpng's).</summary>
    public const int DefaultCompressionLevel = 6;

    /// <summary>Encodes interleaved 8-bit pixels (row-major, the channels of a pixel adjacent).</summary>
    /// <param name="pixels">Width × height × channels bytes.</param>
    /// <param name="width">Pixels per row (1 to 65 535).</param>
    /// <param name="height">Rows (1 to 65 535).</param>
    /// <param name="channels">1 gray, 3 RGB or 4 RGBA (not premultiplied).</param>
    /// <param name="compressionLevel">zlib level, 0 (none) to 9 (smallest).</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentException">A size, the channel count, the level or the pixel count is out of range.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels, int compressionLevel = DefaultCompressionLevel)
    {
        using SKData data = EncodeInterleaved(pixels, width, height, channels, compressionLevel);
        return data.ToArray();
    }

    /// <summary>
    /// Encodes one image given as planar float pixels in [0, 255] ([channel, row, column], as ImageAnalytics'
    /// <c>ExtractPixels</c> and the built-in data sets lay them out): each value is rounded (half to even) and
    /// clamped to [0, 255].
    /// </summary>
    /// <param name="planarPixels">Channels × height × width values.</param>
    /// <param name="channels">1 gray, 3 RGB or 4 RGBA.</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Pixels per row.</param>
    /// <param name="compressionLevel">zlib level, 0 to 9.</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentException">A size or the value count is out of range, or a value is NaN.</exception>
    public static byte[] EncodePlanar(ReadOnlySpan<float> planarPixels, int channels, int height, int width, int compressionLevel = DefaultCompressionLevel)
    {
        using SKData data = EncodePlanarData(planarPixels, channels, height, width, compressionLevel);
        return data.ToArray();
    }

    /// <summary>
    /// The length in bytes of the PNG file <see cref="EncodePlanar"/> returns for the same arguments, without copying
    /// the file into managed memory (a scoring job measures it per image).
    /// </summary>
    /// <inheritdoc cref="EncodePlanar" path="/param"/>
    /// <inheritdoc cref="EncodePlanar" path="/exception"/>
    public static long EncodedLengthPlanar(ReadOnlySpan<float> planarPixels, int channels, int height, int width, int compressionLevel = DefaultCompressionLevel)
    {
        using SKData data = EncodePlanarData(planarPixels, channels, height, width, compressionLevel);
        return data.Size;
    }

    /// <summary>A pixel value in [0, 255] as a byte: rounded half to even and clamped.</summary>
    /// <exception cref="ArgumentException">The value is NaN.</exception>
    internal static byte ToByte(float value) =>
        float.IsNaN(value) ? throw new ArgumentException("a pixel value is NaN: expected numbers in [0, 255]", nameof(value)) : (byte)Math.Clamp(MathF.Round(value), 0, 255);

    private static SKData EncodePlanarData(ReadOnlySpan<float> planarPixels, int channels, int height, int width, int compressionLevel)
    {
        Check(width, height, channels, compressionLevel);
        int plane = height * width;
        if (planarPixels.Length != (long)plane * channels)
        {
            throw new ArgumentException($"expected {(long)plane * channels} values for a {channels}x{height}x{width} image, got {planarPixels.Length}", nameof(planarPixels));
        }

        byte[] interleaved = ArrayPool<byte>.Shared.Rent(planarPixels.Length);
        try
        {
            for (int c = 0; c < channels; c++)
            {
                for (int p = 0; p < plane; p++)
                {
                    interleaved[(p * channels) + c] = ToByte(planarPixels[(c * plane) + p]);
                }
            }

            return EncodeInterleaved(interleaved.AsSpan(0, planarPixels.Length), width, height, channels, compressionLevel);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(interleaved);
        }
    }

    /// <summary>The PNG of interleaved pixels, in SkiaSharp's memory; the caller disposes it.</summary>
    private static SKData EncodeInterleaved(ReadOnlySpan<byte> pixels, int width, int height, int channels, int compressionLevel)
    {
        Check(width, height, channels, compressionLevel);
        long needed = (long)width * height * channels;
        if (pixels.Length != needed)
        {
            throw new ArgumentException($"expected {needed} bytes for a {width}x{height} image of {channels} channel(s), got {pixels.Length}", nameof(pixels));
        }

        // SkiaSharp has no 3-byte format: RGB goes in as opaque RGBA, which its encoder writes as RGB. The pixels are
        // copied into a pooled buffer that can be pinned for SkiaSharp (no per-image allocation).
        int length = channels == 3 ? pixels.Length / 3 * 4 : pixels.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        GCHandle pinned = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            if (channels == 3)
            {
                ExpandToRgba(pixels, buffer);
            }
            else
            {
                pixels.CopyTo(buffer);
            }

            SKColorType colorType = channels == 1 ? SKColorType.Gray8 : SKColorType.Rgba8888;
            SKAlphaType alphaType = channels == 4 ? SKAlphaType.Unpremul : SKAlphaType.Opaque;
            var info = new SKImageInfo(width, height, colorType, alphaType);
            using var pixmap = new SKPixmap(info, pinned.AddrOfPinnedObject(), info.RowBytes);
            return pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, compressionLevel))
                ?? throw new InvalidOperationException($"SkiaSharp could not encode a {width}x{height} PNG of {channels} channel(s)");
        }
        finally
        {
            pinned.Free();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Check(int width, int height, int channels, int compressionLevel)
    {
        const int maxSide = Decoding.ImageSizeLimit.MaxSide;
        if (width is < 1 or > maxSide || height is < 1 or > maxSide)
        {
            throw new ArgumentException($"expected a PNG size of 1 to {maxSide} per side, got {width}x{height}", nameof(width));
        }

        if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentException($"expected 1 (gray), 3 (RGB) or 4 (RGBA) channels, got {channels}", nameof(channels));
        }

        if (compressionLevel is < 0 or > 9)
        {
            throw new ArgumentException($"expected a compression level of 0 to 9, got {compressionLevel}", nameof(compressionLevel));
        }
    }

    private static void ExpandToRgba(ReadOnlySpan<byte> rgb, Span<byte> rgba)
    {
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgba[j] = rgb[i];
            rgba[j + 1] = rgb[i + 1];
            rgba[j + 2] = rgb[i + 2];
            rgba[j + 3] = 255;
        }
    }
}
