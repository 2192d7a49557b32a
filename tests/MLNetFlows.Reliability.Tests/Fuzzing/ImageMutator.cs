using System.Buffers.Binary;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of valid PNG and JPEG files (<see cref="ImageMutation"/>): the same seed, source and kind give the
/// same bytes, so any failing file can be regenerated from its name.
/// </summary>
internal static class ImageMutator
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsPng(ReadOnlySpan<byte> file) => file.StartsWith(PngSignature);

    /// <summary>A copy of <paramref name="source"/> with one mutation of <paramref name="kind"/>.</summary>
    public static byte[] Mutate(byte[] source, ImageMutation kind, Random random)
    {
        var bytes = source.ToArray();
        return IsPng(bytes) ? MutatePng(bytes, kind, random) : MutateJpeg(bytes, kind, random);
    }

    private static byte[] MutatePng(byte[] bytes, ImageMutation kind, Random random)
    {
        var chunks = PngChunks(bytes);
        switch (kind)
        {
            case ImageMutation.BitFlip:
                return FlipBits(bytes, 8, bytes.Length, random);
            case ImageMutation.DataFlipChecksummed:
            {
                var data = chunks.Where(c => c.Type == "IDAT").DefaultIfEmpty(chunks[0]).ElementAt(0);
                FlipBits(bytes, data.DataStart, data.DataStart + Math.Max(data.Length, 1), random);
                FixCrc(bytes, data);
                return bytes;
            }

            case ImageMutation.Truncation:
                return bytes[..random.Next(0, bytes.Length)];
            case ImageMutation.ChunkDuplication:
            {
                var chunk = chunks[random.Next(chunks.Count)];
                var copy = bytes.AsSpan(chunk.Start, chunk.End - chunk.Start).ToArray();
                var at = chunks[random.Next(chunks.Count)].Start;
                return [.. bytes[..at], .. copy, .. bytes[at..]];
            }

            case ImageMutation.HeaderField:
            {
                var header = chunks[0];
                var field = random.Next(5);
                var at = header.DataStart + field switch { 0 => 0, 1 => 4, 2 => 8, 3 => 9, _ => 12 };
                if (field < 2)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), Interesting32(random));
                }
                else
                {
                    bytes[at] = (byte)random.Next(256);
                }

                FixCrc(bytes, header);
                return bytes;
            }

            case ImageMutation.LengthField:
            {
                var chunk = chunks[random.Next(chunks.Count)];
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(chunk.Start), Interesting32(random));
                return bytes;
            }

            case ImageMutation.BombHeader:
            {
                var header = chunks[0];
                var side = random.Next(3) switch { 0 => 65_535u, 1 => 100_000u, _ => (uint)int.MaxValue };
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(header.DataStart), side);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(header.DataStart + 4), random.Next(2) == 0 ? side : (uint)random.Next(1, 70_000));
                FixCrc(bytes, header);
                return bytes;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static byte[] MutateJpeg(byte[] bytes, ImageMutation kind, Random random)
    {
        var segments = JpegSegments(bytes);
        var frame = segments.FirstOrDefault(s => s.Marker is >= 0xC0 and <= 0xC2);
        var scanStart = segments.FirstOrDefault(s => s.Marker == 0xDA) is { } scan ? scan.End : bytes.Length / 2;
        switch (kind)
        {
            case ImageMutation.BitFlip:
                return FlipBits(bytes, 2, bytes.Length, random);
            case ImageMutation.DataFlipChecksummed:
                // JPEG has no checksums: damage the entropy-coded data of the first scan.
                return FlipBits(bytes, Math.Min(scanStart, bytes.Length - 3), bytes.Length - 2, random);
            case ImageMutation.Truncation:
                return bytes[..random.Next(0, bytes.Length)];
            case ImageMutation.ChunkDuplication:
            {
                var segment = segments[random.Next(segments.Count)];
                var copy = bytes.AsSpan(segment.Start, segment.End - segment.Start).ToArray();
                var at = segments[random.Next(segments.Count)].Start;
                return [.. bytes[..at], .. copy, .. bytes[at..]];
            }

            case ImageMutation.HeaderField when frame is not null:
            {
                var field = random.Next(4);
                var at = frame.Start + 4 + field switch { 0 => 0, 1 => 1, 2 => 3, _ => 5 };
                if (field is 1 or 2)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), (ushort)Interesting32(random));
                }
                else
                {
                    bytes[at] = (byte)random.Next(256);
                }

                return bytes;
            }

            case ImageMutation.LengthField:
            {
                var segment = segments[random.Next(segments.Count)];
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(segment.Start + 2), (ushort)Interesting32(random));
                return bytes;
            }

            case ImageMutation.BombHeader when frame is not null:
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(frame.Start + 5), 65_535);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(frame.Start + 7), random.Next(2) == 0 ? (ushort)65_535 : (ushort)random.Next(1, 65_536));
                return bytes;
            case ImageMutation.HeaderField or ImageMutation.BombHeader:
                return FlipBits(bytes, 2, bytes.Length, random);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>Boundary values that break arithmetic: 0, 1, powers of two ± 1, the largest signed and unsigned values, or a random one.</summary>
    private static uint Interesting32(Random random) => random.Next(10) switch
    {
        0 => 0,
        1 => 1,
        2 => 0x7FFF_FFFF,
        3 => 0x8000_0000,
        4 => 0xFFFF_FFFF,
        5 => 0xFFFF,
        6 => 0x1_0000,
        7 => (uint)random.Next(2, 64),
        _ => (uint)random.NextInt64(0, 1L << 32),
    };

    private static byte[] FlipBits(byte[] bytes, int from, int to, Random random)
    {
        if (to <= from)
        {
            return bytes;
        }

        var flips = random.Next(1, 9);
        for (var i = 0; i < flips; i++)
        {
            bytes[random.Next(from, to)] ^= (byte)(1 << random.Next(8));
        }

        return bytes;
    }

    private static void FixCrc(byte[] bytes, Part chunk)
    {
        if (chunk.End <= bytes.Length && chunk.End - 4 >= chunk.Start + 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(chunk.End - 4), Crc32.Compute(bytes.AsSpan(chunk.Start + 4, chunk.End - 4 - (chunk.Start + 4))));
        }
    }

    /// <summary>The chunks of a valid PNG file.</summary>
    private static List<Part> PngChunks(byte[] bytes)
    {
        var chunks = new List<Part>();
        for (var at = 8; at + 12 <= bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            chunks.Add(new Part(at, at + 12 + length, type, 0, at + 8, length));
            at += 12 + length;
        }

        return chunks;
    }

    /// <summary>The marker segments of a valid JPEG file up to and including the first start-of-scan.</summary>
    private static List<Part> JpegSegments(byte[] bytes)
    {
        var segments = new List<Part>();
        for (var at = 2; at + 4 <= bytes.Length && bytes[at] == 0xFF;)
        {
            var marker = bytes[at + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2));
            segments.Add(new Part(at, at + 2 + length, string.Empty, marker, at + 4, length - 2));
            at += 2 + length;
            if (marker == 0xDA)
            {
                break;
            }
        }

        return segments;
    }

    /// <summary>A PNG chunk or JPEG segment: bytes [Start, End), its data from DataStart.</summary>
    private sealed record Part(int Start, int End, string Type, byte Marker, int DataStart, int Length);
}
