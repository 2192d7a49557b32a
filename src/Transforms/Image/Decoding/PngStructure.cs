using System.Buffers.Binary;
using System.Text;

namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>
/// The structural checks of a PNG file that SkiaSharp does not make (it decodes truncated files silently): the
/// signature, every chunk's length and CRC, the chunk order (IHDR first, PLTE before IDAT for palette images,
/// consecutive IDATs, IEND last and present), IHDR's fields, the decompression-bomb limits, and the image data
/// itself (<see cref="PngImageData"/>). Messages follow libpng's where libpng has one (e.g. "IHDR: CRC error",
/// "Not enough image data"); every truncation says "truncated PNG data".
/// </summary>
internal static class PngStructure
{
    /// <summary>The 8-byte PNG signature.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Checks a whole PNG file.</summary>
    /// <param name="data">The file's bytes; its first 4 bytes are the start of the PNG signature.</param>
    /// <param name="maxPixels">The largest width × height accepted.</param>
    /// <returns>The validated header.</returns>
    /// <exception cref="InvalidImageException">The file is not a sound PNG; the message says why.</exception>
    public static PngHeader Check(byte[] data, long maxPixels)
    {
        CheckSignature(data);
        PngHeader? header = null;
        bool palette = false;
        int idatState = 0; // 0 none yet, 1 inside the IDAT run, 2 after it
        using var imageData = new MemoryStream();
        int position = Signature.Length;
        while (true)
        {
            (string type, ReadOnlyMemory<byte> body, bool intact) = ReadChunk(data, ref position);
            bool critical = char.IsAsciiLetterUpper(type[0]);
            if (header is null && type != "IHDR")
            {
                throw new InvalidImageException($"{type}: missing IHDR (the first chunk must be IHDR)");
            }

            if (idatState == 1 && type != "IDAT")
            {
                idatState = 2;
            }

            if (!intact)
            {
                // An ancillary chunk with a wrong CRC is skipped, as libpng and SkiaSharp do: it carries no pixels.
                continue;
            }

            switch (type)
            {
                case "IHDR":
                    header = header is null ? PngHeader.Parse(body.Span) : throw new InvalidImageException("IHDR: out of place (a second IHDR)");
                    ImageSizeLimit.Check(header.Width, header.Height, maxPixels);
                    break;
                case "PLTE":
                    palette = idatState == 0 && !palette && body.Length is > 0 and <= 768 && body.Length % 3 == 0
                        ? true
                        : throw new InvalidImageException(idatState != 0 ? "PLTE: out of place (after IDAT)" : palette ? "PLTE: duplicate" : $"PLTE: invalid length {body.Length}");
                    break;
                case "IDAT":
                    if (idatState == 2)
                    {
                        throw new InvalidImageException("IDAT: not consecutive (another chunk interrupts the image data)");
                    }

                    if (header!.ColorType == PngHeader.PaletteColorType && !palette)
                    {
                        throw new InvalidImageException("IDAT: Missing PLTE before IDAT (a palette image needs its palette)");
                    }

                    idatState = 1;
                    imageData.Write(body.Span);
                    break;
                case "IEND":
                    if (idatState == 0)
                    {
                        throw new InvalidImageException("IEND: out of place (no IDAT before it: the file holds no image data)");
                    }

                    if (body.Length != 0)
                    {
                        throw new InvalidImageException($"IEND: invalid length {body.Length} (expected 0)");
                    }

                    PngImageData.Check(header!, new ArraySegment<byte>(imageData.GetBuffer(), 0, (int)imageData.Length));
                    return header!;
                default:
                    if (critical)
                    {
                        throw new InvalidImageException($"{type}: unknown critical chunk");
                    }

                    break;
            }
        }
    }

    private static void CheckSignature(byte[] data)
    {
        int compared = Math.Min(data.Length, Signature.Length);
        if (!data.AsSpan(0, compared).SequenceEqual(Signature[..compared]))
        {
            throw new InvalidImageException(
                $"PNG file corrupted by ASCII conversion: its signature is {Convert.ToHexString(data.AsSpan(0, compared))}, expected {Convert.ToHexString(Signature)} (transfer the file in binary mode)");
        }

        if (data.Length < Signature.Length)
        {
            throw new InvalidImageException($"truncated PNG data: the file ends after {data.Length} bytes, inside the 8-byte signature");
        }
    }

    /// <summary>
    /// Reads the chunk at <paramref name="position"/>, checks its length and CRC, and moves past it. A critical chunk
    /// with a wrong CRC fails; an ancillary one is returned as not intact.
    /// </summary>
    private static (string Type, ReadOnlyMemory<byte> Body, bool Intact) ReadChunk(byte[] data, ref int position)
    {
        int start = position;
        if (data.Length - start < 8)
        {
            throw new InvalidImageException(start == data.Length
                ? $"truncated PNG data: the file ends at byte {start} without an IEND chunk"
                : $"truncated PNG data: the file ends at byte {data.Length}, inside the header of the chunk at byte {start}");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(start));
        ReadOnlySpan<byte> typeBytes = data.AsSpan(start + 4, 4);
        foreach (byte b in typeBytes)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                throw new InvalidImageException($"invalid chunk type 0x{Convert.ToHexString(typeBytes)} at byte {start}");
            }
        }

        string type = Encoding.ASCII.GetString(typeBytes);
        if (length > int.MaxValue)
        {
            throw new InvalidImageException($"{type}: invalid chunk length {length} at byte {start} (the limit is 2^31 - 1)");
        }

        long end = (long)start + 12 + length;
        if (end > data.Length)
        {
            throw new InvalidImageException(
                $"truncated PNG data: the {type} chunk at byte {start} needs {12 + (long)length} bytes with its CRC, the file ends {data.Length - start} bytes after its start");
        }

        uint stored = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan((int)end - 4));
        bool crcOk = PngChecksums.Crc32(data.AsSpan(start + 4, 4 + (int)length)) == stored;
        position = (int)end;
        if (!crcOk && char.IsAsciiLetterUpper(type[0]))
        {
            throw new InvalidImageException($"{type}: CRC error (the chunk at byte {start} is damaged)");
        }

        return (type, data.AsMemory(start + 8, (int)length), crcOk);
    }
}
