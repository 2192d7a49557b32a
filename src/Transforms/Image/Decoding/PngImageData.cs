using System.Buffers.Binary;
using System.IO.Compression;

namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>
/// Checks a PNG's image data (the concatenated IDAT chunks) without keeping the pixels: the zlib header, that the
/// stream inflates without error to exactly the filtered rows IHDR declares (every pass of an interlaced image),
/// that each row's filter type is defined, and the Adler-32 checksum. Memory stays at one row.
/// </summary>
internal static class PngImageData
{
    /// <summary>Adam7's passes: first column, first row, column step, row step (PNG specification §8.2).</summary>
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    private const int MaxFilterType = 4;

    /// <exception cref="InvalidImageException">The image data is not what IHDR declares; the message says how.</exception>
    public static void Check(PngHeader header, ArraySegment<byte> zlibStream)
    {
        CheckZlibHeader(zlibStream.AsSpan());
        (long Width, long Height)[] passes = header.Interlaced
            ? [.. Adam7.Select(p => (Count(header.Width, p.X0, p.Dx), Count(header.Height, p.Y0, p.Dy)))]
            : [(header.Width, header.Height)];
        long expected = passes.Where(p => p.Width > 0 && p.Height > 0).Sum(p => p.Height * (1 + header.RowBytes(p.Width)));
        long inflated = 0;
        uint adler = 1;
        // Raw deflate after the 2-byte zlib header; the Adler-32 in the last 4 bytes is checked here, so that a
        // damaged checksum and damaged data get different messages.
        using var stream = new DeflateStream(new MemoryStream(zlibStream.Array!, zlibStream.Offset + 2, zlibStream.Count - 2, writable: false), CompressionMode.Decompress);
        try
        {
            for (int pass = 0; pass < passes.Length; pass++)
            {
                (long width, long height) = passes[pass];
                if (width == 0 || height == 0)
                {
                    continue;
                }

                var row = new byte[1 + header.RowBytes(width)];
                for (long y = 0; y < height; y++)
                {
                    int read = stream.ReadAtLeast(row, row.Length, throwOnEndOfStream: false);
                    inflated += read;
                    if (read < row.Length)
                    {
                        throw new InvalidImageException($"IDAT: Not enough image data (the zlib stream inflates to {inflated} bytes, the {header.Width}x{header.Height} image needs {expected})");
                    }

                    if (row[0] > MaxFilterType)
                    {
                        string where = header.Interlaced ? $"row {y} of interlace pass {pass + 1}" : $"row {y}";
                        throw new InvalidImageException($"IDAT: bad adaptive filter value {row[0]} in {where} (defined: 0 to {MaxFilterType})");
                    }

                    adler = PngChecksums.Adler32(adler, row);
                }
            }

            if (stream.Read(new byte[1]) > 0)
            {
                throw new InvalidImageException($"IDAT: too much image data (the zlib stream inflates to more than the {expected} bytes the {header.Width}x{header.Height} image needs)");
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidImageException($"IDAT: invalid compressed data (the zlib stream is corrupt after {inflated} of {expected} bytes)", e);
        }

        if (zlibStream.Count < 6 || BinaryPrimitives.ReadUInt32BigEndian(zlibStream.AsSpan()[^4..]) != adler)
        {
            throw new InvalidImageException("IDAT: incorrect data check (the zlib stream's Adler-32 checksum does not match the image data)");
        }
    }

    private static long Count(long size, int first, int step) => size > first ? (size - first + step - 1) / step : 0;

    /// <summary>The two-byte zlib header (RFC 1950 §2.2): deflate, a window of at most 32 KiB, no preset dictionary, FCHECK.</summary>
    private static void CheckZlibHeader(ReadOnlySpan<byte> zlibStream)
    {
        if (zlibStream.Length < 2)
        {
            throw new InvalidImageException($"IDAT: Not enough image data (the zlib stream holds {zlibStream.Length} bytes)");
        }

        int cmf = zlibStream[0], flg = zlibStream[1];
        string? problem =
            ((cmf << 8) | flg) % 31 != 0 ? "incorrect header check"
            : (cmf & 0x0F) != 8 ? $"unknown compression method {cmf & 0x0F} (expected 8, deflate)"
            : (cmf >> 4) > 7 ? $"invalid window size 2^{(cmf >> 4) + 8}"
            : (flg & 0x20) != 0 ? "a preset dictionary, which PNG does not allow"
            : null;
        if (problem is not null)
        {
            throw new InvalidImageException($"IDAT: zlib {problem} (the image data's zlib header {cmf:X2} {flg:X2} is damaged)");
        }
    }
}
