using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using SkiaSharp;

namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>
/// Decodes PNG and JPEG bytes into exactly the pixels ImageAnalytics' <c>LoadImages</c> gives (SkiaSharp, which
/// ImageAnalytics uses: alpha premultiplied, no colour-space conversion, gray expanded to BGRA), after the
/// structural checks SkiaSharp lacks (<see cref="PngStructure"/>, <see cref="JpegStructure"/>), and only when
/// SkiaSharp reports complete success. Other formats are refused: they cannot be checked.
/// </summary>
internal static class ImageDecoder
{
    private const int BytesPerPixel = 4;

    /// <summary>Decodes one file's bytes.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="maxPixels">The decompression-bomb limit (width × height).</param>
    /// <returns>The pixels.</returns>
    /// <exception cref="InvalidImageException">The bytes are not a sound PNG or JPEG image within the limits.</exception>
    public static DecodedImage Decode(byte[] data, long maxPixels)
    {
        (long width, long height) = CheckStructure(data, maxPixels);
        using var stream = new SKMemoryStream(data);
        using SKCodec? codec = SKCodec.Create(stream, out SKCodecResult created);
        if (codec is null)
        {
            throw new InvalidImageException($"SkiaSharp cannot read the image ({created})");
        }

        SKImageInfo info = codec.Info;
        if (info.Width != width || info.Height != height)
        {
            throw new InvalidImageException($"SkiaSharp reads a {info.Width}x{info.Height} image where the header declares {width}x{height}");
        }

        // As SKBitmap.Decode (ImageAnalytics' MLImage): premultiplied alpha, no colour space, then BGRA unless RGBA.
        bool rgba = info.ColorType == SKColorType.Rgba8888;
        var target = new SKImageInfo(info.Width, info.Height, rgba ? SKColorType.Rgba8888 : SKColorType.Bgra8888, info.AlphaType == SKAlphaType.Unpremul ? SKAlphaType.Premul : info.AlphaType);
        var pixels = new byte[(long)info.Width * info.Height * BytesPerPixel];
        GCHandle pinned = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        SKCodecResult decoded;
        try
        {
            decoded = codec.GetPixels(target, pinned.AddrOfPinnedObject());
        }
        finally
        {
            pinned.Free();
        }

        return decoded == SKCodecResult.Success
            ? new DecodedImage(info.Width, info.Height, rgba ? MLPixelFormat.Rgba32 : MLPixelFormat.Bgra32, pixels)
            : throw new InvalidImageException($"SkiaSharp could not decode the pixels ({decoded})");
    }

    /// <summary>Recognises the format by its magic bytes and runs its structural checks.</summary>
    /// <returns>The declared size.</returns>
    private static (long Width, long Height) CheckStructure(byte[] data, long maxPixels)
    {
        if (data.Length == 0)
        {
            throw new InvalidImageException("the file is empty (0 bytes)");
        }

        if (data.AsSpan().StartsWith(PngStructure.Signature[..4]))
        {
            PngHeader header = PngStructure.Check(data, maxPixels);
            return (header.Width, header.Height);
        }

        if (data.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            JpegFrame frame = JpegStructure.Check(data, maxPixels);
            return (frame.Width, frame.Height);
        }

        string magic = string.Join(' ', data.Take(8).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        throw new InvalidImageException($"not a PNG or JPEG image (magic bytes {magic}{(data.Length < 8 ? $", {data.Length} bytes in all" : string.Empty)})");
    }
}
