using System.Runtime.InteropServices;
using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch.Imaging;

/// <summary>
/// PNG and JPEG decoding (libpng, libjpeg-turbo) and PNG encoding (libpng), through the native shim; no codec is
/// written here. Decoding probes the header first, checks the decompression-bomb limits, allocates the managed pixel
/// array, and lets the codec write straight into it.
/// </summary>
/// <remarks>
/// Every failure caused by the data or the file is an <see cref="ImageDecodeException"/> naming the reason (truncated
/// data, a CRC error, a corrupt JPEG scan, wrong magic bytes, a declared size over the limit, ...); invalid arguments
/// (an unsupported channel count, a non-positive limit) are <see cref="ArgumentException"/>s. A corrupt image never
/// crashes the process and leaves nothing allocated. Decoding is strict: every libjpeg warning (corrupt or missing
/// scan data) fails, and so does a CRC mismatch in a critical PNG chunk; a damaged ancillary PNG chunk (text, ICC
/// profile, ...) is skipped, as libpng does. All methods are thread-safe.
/// </remarks>
public static class ImageCodec
{
    /// <summary>Longest side accepted when decoding, and the longest side <see cref="EncodePng"/> writes.</summary>
    public const int MaxSide = 65535;

    /// <summary>zlib level used by <see cref="EncodePng"/> unless told otherwise: 9, the smallest files.</summary>
    public const int DefaultPngCompressionLevel = 9;

    /// <summary>Codec contexts and encoded buffers alive in the native shim (0 when nothing leaks).</summary>
    internal static long LiveNativeCount => Native.mlnf_image_live_count();

    /// <summary>Reads the header of a PNG or JPEG image: format, size, stored channels. Applies no size limit.</summary>
    /// <exception cref="ImageDecodeException">The data is not a PNG or JPEG, or its header is truncated or corrupt.</exception>
    public static unsafe ImageInfo Probe(ReadOnlySpan<byte> data)
    {
        fixed (byte* input = data)
        {
            return ProbeNative(input, data.Length, maxPixels: 0, path: null);
        }
    }

    /// <summary>Decodes a PNG or JPEG image to 8-bit pixels with the given number of channels.</summary>
    /// <param name="data">The encoded image.</param>
    /// <param name="channels">1 gray, 3 RGB or 4 RGBA (see <see cref="ImageDecodeOptions.Channels"/>).</param>
    /// <param name="maxPixels">The decompression-bomb limit (see <see cref="ImageDecodeOptions.MaxPixels"/>).</param>
    /// <exception cref="ImageDecodeException">The data is not a decodable PNG or JPEG, or the image is too large.</exception>
    public static DecodedImage Decode(
        ReadOnlySpan<byte> data,
        int channels = ImageDecodeOptions.Defaults.Channels,
        long maxPixels = ImageDecodeOptions.Defaults.MaxPixels) =>
        Decode(data, channels, maxPixels, path: null);

    /// <summary>Decodes a PNG or JPEG image as <paramref name="options"/> say.</summary>
    /// <exception cref="ImageDecodeException">The data is not a decodable PNG or JPEG, or the image is too large.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> data, ImageDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Decode(data, options.Channels, options.MaxPixels, path: null);
    }

    /// <summary>Reads and decodes a PNG or JPEG file (the format comes from its content, not its extension).</summary>
    /// <param name="path">The file.</param>
    /// <param name="channels">1 gray, 3 RGB or 4 RGBA (see <see cref="ImageDecodeOptions.Channels"/>).</param>
    /// <param name="maxPixels">The decompression-bomb limit (see <see cref="ImageDecodeOptions.MaxPixels"/>).</param>
    /// <exception cref="ImageDecodeException">
    /// The file is missing (or vanished), unreadable or empty, or not a decodable PNG or JPEG; <see cref="ImageDecodeException.Path"/> names it.
    /// </exception>
    public static DecodedImage DecodeFile(
        string path,
        int channels = ImageDecodeOptions.Defaults.Channels,
        long maxPixels = ImageDecodeOptions.Defaults.MaxPixels)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckDecodeArguments(channels, maxPixels);
        return Decode(ReadFile(path), channels, maxPixels, path);
    }

    /// <summary>Reads and decodes a PNG or JPEG file as <paramref name="options"/> say.</summary>
    /// <exception cref="ImageDecodeException">
    /// The file is missing (or vanished), unreadable or empty, or not a decodable PNG or JPEG; <see cref="ImageDecodeException.Path"/> names it.
    /// </exception>
    public static DecodedImage DecodeFile(string path, ImageDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return DecodeFile(path, options.Channels, options.MaxPixels);
    }

    /// <summary>
    /// Encodes 8-bit interleaved, row-major pixels as a non-interlaced PNG (gray, RGB or RGBA; no gamma or other
    /// ancillary chunk). The output is deterministic for a given libpng and zlib, so its size can serve as a
    /// compression-based complexity measure (Serrà et al., "Input complexity and out-of-distribution detection with
    /// likelihood-based generative models", ICLR 2020, use the PNG size in bits at the highest level).
    /// </summary>
    /// <param name="pixels"><c>width * height * channels</c> samples, laid out as <see cref="DecodedImage.Pixels"/>.</param>
    /// <param name="width">Width in pixels, 1 to <see cref="MaxSide"/>.</param>
    /// <param name="height">Height in pixels, 1 to <see cref="MaxSide"/>.</param>
    /// <param name="channels">1 gray, 3 RGB or 4 RGBA.</param>
    /// <param name="compressionLevel">zlib level, 0 (none) to 9 (smallest).</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="InvalidOperationException">libpng failed (out of memory).</exception>
    public static unsafe byte[] EncodePng(
        ReadOnlySpan<byte> pixels,
        int width,
        int height,
        int channels,
        int compressionLevel = DefaultPngCompressionLevel)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxSide);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxSide);
        CheckChannels(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(compressionLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(compressionLevel, 9);
        var expected = (long)width * height * channels;
        if (pixels.Length != expected)
        {
            throw new ArgumentException(
                $"expected {expected} samples for a {width}x{height}x{channels} image, got {pixels.Length}", nameof(pixels));
        }

        int status;
        IntPtr buffer;
        long length;
        fixed (byte* input = pixels)
        {
            status = Native.mlnf_image_encode_png(input, pixels.Length, width, height, channels, compressionLevel, out buffer, out length);
        }

        try
        {
            if (status < 0)
            {
                throw new InvalidOperationException($"PNG encoding failed: {NativeError.TakeMessage()}");
            }

            var png = GC.AllocateUninitializedArray<byte>(checked((int)length));
            Marshal.Copy(buffer, png, 0, png.Length);
            return png;
        }
        finally
        {
            Native.mlnf_image_buffer_free(buffer);
        }
    }

    private static unsafe DecodedImage Decode(ReadOnlySpan<byte> data, int channels, long maxPixels, string? path)
    {
        CheckDecodeArguments(channels, maxPixels);
        fixed (byte* input = data)
        {
            var info = ProbeNative(input, data.Length, maxPixels, path);
            var length = (long)info.Width * info.Height * channels;
            if (length > Array.MaxLength)
            {
                throw new ImageDecodeException(path,
                    $"a {info.Width}x{info.Height}x{channels} image needs {length} bytes, more than a .NET array holds ({Array.MaxLength})");
            }

            var pixels = GC.AllocateUninitializedArray<byte>((int)length);
            fixed (byte* output = pixels)
            {
                Check(Native.mlnf_image_decode(input, data.Length, channels, maxPixels, output, pixels.Length), path);
            }

            return new DecodedImage(info.Width, info.Height, channels, pixels);
        }
    }

    private static unsafe ImageInfo ProbeNative(byte* input, int length, long maxPixels, string? path)
    {
        Check(Native.mlnf_image_probe(input, length, maxPixels, out var format, out var width, out var height, out var stored), path);
        return new ImageInfo((ImageFormat)format, width, height, stored);
    }

    private static byte[] ReadFile(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageDecodeException(path, "the file does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ImageDecodeException(path, $"the file cannot be read: {e.Message}", e);
        }

        return data.Length > 0 ? data : throw new ImageDecodeException(path, "the file is empty (0 bytes)");
    }

    private static void CheckDecodeArguments(int channels, long maxPixels)
    {
        CheckChannels(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
    }

    private static void CheckChannels(int channels)
    {
        if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "expected 1 (gray), 3 (RGB) or 4 (RGBA)");
        }
    }

    private static void Check(int status, string? path)
    {
        if (status < 0)
        {
            throw new ImageDecodeException(path, NativeError.TakeMessage());
        }
    }
}
