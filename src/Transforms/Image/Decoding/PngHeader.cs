using System.Buffers.Binary;

namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>
/// A PNG's IHDR chunk (PNG specification §11.2.2), validated as libpng's <c>png_check_IHDR</c> does and with the
/// same messages.
/// </summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="BitDepth">Bits per sample (or per palette index).</param>
/// <param name="ColorType">0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA.</param>
/// <param name="Interlaced">True for Adam7 interlacing.</param>
internal sealed record PngHeader(long Width, long Height, int BitDepth, int ColorType, bool Interlaced)
{
    /// <summary>The IHDR data length.</summary>
    public const int Length = 13;

    /// <summary>Gets the colour type of palette images.</summary>
    public const int PaletteColorType = 3;

    private const uint MaxDimension = 0x7FFF_FFFF;

    /// <summary>Gets the samples per pixel of the colour type.</summary>
    public int Channels => ColorType switch { 0 or 3 => 1, 2 => 3, 4 => 2, _ => 4 };

    /// <summary>Parses and validates IHDR's 13 data bytes.</summary>
    /// <exception cref="InvalidImageException">A field is invalid; the message is libpng's.</exception>
    public static PngHeader Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length != Length)
        {
            throw new InvalidImageException($"IHDR: invalid length {data.Length} (expected {Length})");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int depth = data[8], color = data[9];
        string? problem =
            width == 0 ? "Image width is zero in IHDR"
            : height == 0 ? "Image height is zero in IHDR"
            : width > MaxDimension ? $"Invalid image width in IHDR ({width})"
            : height > MaxDimension ? $"Invalid image height in IHDR ({height})"
            : depth is not (1 or 2 or 4 or 8 or 16) ? $"Invalid bit depth in IHDR ({depth})"
            : color is not (0 or 2 or 3 or 4 or 6) ? $"Invalid color type in IHDR ({color})"
            : !IsAllowed(color, depth) ? $"Invalid color type/bit depth combination in IHDR (color type {color}, bit depth {depth})"
            : data[10] != 0 ? $"Unknown compression method in IHDR ({data[10]})"
            : data[11] != 0 ? $"Unknown filter method in IHDR ({data[11]})"
            : data[12] > 1 ? $"Unknown interlace method in IHDR ({data[12]})"
            : null;
        return problem is null
            ? new PngHeader(width, height, depth, color, data[12] == 1)
            : throw new InvalidImageException($"IHDR: {problem}");
    }

    /// <summary>The filtered bytes of one row of <paramref name="width"/> pixels, without the filter-type byte.</summary>
    public long RowBytes(long width) => ((width * Channels * BitDepth) + 7) / 8;

    private static bool IsAllowed(int color, int depth) => color switch
    {
        0 => true,
        3 => depth <= 8,
        _ => depth >= 8,
    };
}
