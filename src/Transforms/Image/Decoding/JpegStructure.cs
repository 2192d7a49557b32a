using System.Buffers.Binary;

namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>
/// The structural checks of a JPEG file that SkiaSharp does not make (it decodes truncated and corrupt files without
/// a word): the marker segments and their lengths, the frame header (supported process, size, sampling), the
/// decompression-bomb limits before any pixel memory exists, that every table a scan uses is defined, the
/// entropy-coded data of sequential scans (<see cref="JpegScanChecker"/>), and the EOI marker. Messages are
/// libjpeg's where libjpeg has one ("Premature end of JPEG file", "Quantization table 0x03 was not defined", …).
/// </summary>
internal static class JpegStructure
{
    private const int MaxDimension = 65_500;

    /// <summary>Checks a whole JPEG file.</summary>
    /// <param name="data">The file's bytes; they start with SOI and a marker (FF D8 FF).</param>
    /// <param name="maxPixels">The largest width × height accepted.</param>
    /// <returns>The frame header.</returns>
    /// <exception cref="InvalidImageException">The file is not a sound JPEG; the message says why.</exception>
    public static JpegFrame Check(byte[] data, long maxPixels)
    {
        JpegFrame? frame = null;
        var dc = new JpegHuffmanTable?[4];
        var ac = new JpegHuffmanTable?[4];
        var quantization = new bool[4];
        var scanned = new HashSet<int>();
        int restartInterval = 0, scans = 0, position = 2;
        while (true)
        {
            int marker = NextMarker(data, ref position, frame);
            if (marker == 0xD9)
            {
                return EndOfImage(frame, scans, scanned);
            }

            ReadOnlySpan<byte> segment = Segment(data, ref position, marker, frame);
            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC2 or 0xC9 or 0xCA:
                    frame = frame is null ? ReadFrame(marker, segment) : throw new InvalidImageException("Invalid JPEG file structure: two SOF markers");
                    ImageSizeLimit.Check(frame.Width, frame.Height, maxPixels);
                    break;
                case 0xC3 or (>= 0xC5 and <= 0xC7) or 0xCB or (>= 0xCD and <= 0xCF):
                    throw new InvalidImageException($"Unsupported JPEG process: SOF type 0x{marker:X2} (lossless, hierarchical or differential JPEG)");
                case 0xC4:
                    for (int offset = 0; offset < segment.Length;)
                    {
                        (int tableClass, int index, JpegHuffmanTable table) = JpegHuffmanTable.Read(segment, ref offset);
                        (tableClass == 0 ? dc : ac)[index] = table;
                    }

                    break;
                case 0xDB:
                    ReadQuantizationTables(segment, quantization);
                    break;
                case 0xDD:
                    restartInterval = segment.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(segment) : throw new InvalidImageException("Corrupt JPEG data: Bogus marker length of DRI");
                    break;
                case 0xDA:
                    scans++;
                    JpegScanChecker.ScanComponent[]? components = ReadScan(segment, frame, dc, ac, quantization, scanned);
                    int end = ScanEnd(data, position);
                    if (components is not null)
                    {
                        JpegScanChecker.Check(frame!, components, restartInterval, data, position, end, scans);
                    }

                    position = end;
                    break;
                case (>= 0xE0 and <= 0xEF) or 0xFE:
                    break; // APPn and COM: metadata
                default:
                    throw new InvalidImageException($"Unsupported marker type 0x{marker:X2}");
            }
        }
    }

    private static JpegFrame EndOfImage(JpegFrame? frame, int scans, HashSet<int> scanned)
    {
        if (frame is null)
        {
            throw new InvalidImageException("the JPEG data reaches EOI before the frame header (SOF): it holds no image");
        }

        if (scans == 0 || (frame.IsSequentialHuffman && scanned.Count < frame.Components.Length))
        {
            throw new InvalidImageException($"Premature end of JPEG file: EOI after scans of {scanned.Count} of the {frame.Components.Length} components");
        }

        return frame;
    }

    /// <summary>Finds the next marker from <paramref name="position"/> and moves past it; data before it is corrupt.</summary>
    private static int NextMarker(byte[] data, ref int position, JpegFrame? frame)
    {
        int start = position;
        while (position < data.Length && data[position] != 0xFF)
        {
            position++;
        }

        int garbage = position - start;
        while (position < data.Length && data[position] == 0xFF)
        {
            position++; // fill bytes
        }

        if (position >= data.Length)
        {
            throw Truncated(frame, $"the data ends at byte {data.Length} without an EOI marker");
        }

        if (garbage > 0)
        {
            throw new InvalidImageException($"Corrupt JPEG data: {garbage} extraneous bytes before marker 0x{data[position]:X2}");
        }

        return data[position++];
    }

    /// <summary>Reads the length of the segment at <paramref name="position"/> and returns its data, moving past it.</summary>
    private static ReadOnlySpan<byte> Segment(byte[] data, ref int position, int marker, JpegFrame? frame)
    {
        if (marker is 0x01 or (>= 0xD0 and <= 0xD8))
        {
            throw new InvalidImageException(marker == 0xD8
                ? "Invalid JPEG file structure: two SOI markers"
                : $"Corrupt JPEG data: marker 0x{marker:X2} outside a scan");
        }

        if (data.Length - position < 2)
        {
            throw Truncated(frame, $"the data ends inside the length of the segment of marker 0x{marker:X2}");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(position));
        if (length < 2)
        {
            throw new InvalidImageException($"Bogus marker length {length} of marker 0x{marker:X2}");
        }

        if (data.Length - position < length)
        {
            throw Truncated(frame, $"the segment of marker 0x{marker:X2} at byte {position - 2} needs {length} bytes, {data.Length - position} are left");
        }

        int start = position + 2;
        position += length;
        return data.AsSpan(start, length - 2);
    }

    private static InvalidImageException Truncated(JpegFrame? frame, string detail) =>
        new(frame is null ? $"the JPEG data ends before the frame header (SOF): {detail}" : $"Premature end of JPEG file: {detail}");

    private static JpegFrame ReadFrame(int marker, ReadOnlySpan<byte> segment)
    {
        if (segment.Length < 6 || segment.Length != 6 + (3 * segment[5]))
        {
            throw new InvalidImageException($"Bogus marker length of SOF (0x{marker:X2})");
        }

        int precision = segment[0], height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]), width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
        string? problem =
            precision != 8 ? $"Unsupported JPEG data precision {precision}"
            : width == 0 || height == 0 ? $"Empty JPEG image (DNL not supported): the frame header declares {width}x{height}"
            : width > MaxDimension || height > MaxDimension ? $"Maximum supported image dimension is {MaxDimension} pixels (the frame header declares {width}x{height})"
            : segment[5] is 0 or > 4 ? $"Unsupported number of color components {segment[5]}"
            : null;
        if (problem is not null)
        {
            throw new InvalidImageException(problem);
        }

        var components = new JpegComponent[segment[5]];
        for (int i = 0; i < components.Length; i++)
        {
            ReadOnlySpan<byte> c = segment.Slice(6 + (3 * i), 3);
            components[i] = new JpegComponent(c[0], c[1] >> 4, c[1] & 0x0F, c[2]);
            if (components[i].H is < 1 or > 4 || components[i].V is < 1 or > 4 || c[2] > 3)
            {
                throw new InvalidImageException($"Corrupt JPEG data: component {c[0]} has sampling factors {c[1] >> 4}x{c[1] & 0x0F} and quantization table {c[2]} (allowed: 1 to 4, and 0 to 3)");
            }
        }

        return new JpegFrame(marker, width, height, components);
    }

    private static void ReadQuantizationTables(ReadOnlySpan<byte> segment, bool[] defined)
    {
        for (int offset = 0; offset < segment.Length;)
        {
            int precision = segment[offset] >> 4, index = segment[offset] & 0x0F;
            int size = 1 + (precision == 0 ? 64 : 128);
            if (precision > 1 || index > 3 || segment.Length - offset < size)
            {
                throw new InvalidImageException($"Corrupt JPEG data: Bogus DQT index {segment[offset]:X2} or length");
            }

            defined[index] = true;
            offset += size;
        }
    }

    /// <summary>Validates an SOS header; returns the scan's components when its data can be checked, else null.</summary>
    private static JpegScanChecker.ScanComponent[]? ReadScan(ReadOnlySpan<byte> segment, JpegFrame? frame, JpegHuffmanTable?[] dc, JpegHuffmanTable?[] ac, bool[] quantization, HashSet<int> scanned)
    {
        if (frame is null)
        {
            throw new InvalidImageException("Invalid JPEG file structure: SOS before SOF");
        }

        int count = segment.Length > 0 ? segment[0] : 0;
        if (count is < 1 or > 4 || segment.Length != 4 + (2 * count))
        {
            throw new InvalidImageException($"Bogus marker length of SOS ({count} components)");
        }

        var components = new JpegScanChecker.ScanComponent[count];
        bool checkable = frame.IsSequentialHuffman;
        for (int i = 0; i < count; i++)
        {
            int id = segment[1 + (2 * i)], tables = segment[2 + (2 * i)];
            JpegComponent component = frame.Components.FirstOrDefault(c => c.Id == id)
                ?? throw new InvalidImageException($"Invalid component ID {id} in SOS");
            if (!quantization[component.QuantizationTable])
            {
                throw new InvalidImageException($"Quantization table 0x{component.QuantizationTable:X2} was not defined");
            }

            scanned.Add(id);
            JpegHuffmanTable? dcTable = (tables >> 4) < 4 ? dc[tables >> 4] : null, acTable = (tables & 0x0F) < 4 ? ac[tables & 0x0F] : null;
            // Without a DHT, libjpeg-turbo uses the standard tables of T.81 Annex K; such data is left to SkiaSharp.
            checkable &= dcTable is not null && acTable is not null;
            components[i] = new(component, dcTable!, acTable!);
        }

        return checkable ? components : null;
    }

    /// <summary>The index of the marker that ends the entropy-coded data starting at <paramref name="start"/> (stuffed bytes and restart markers belong to the data).</summary>
    private static int ScanEnd(byte[] data, int start)
    {
        for (int i = start; i < data.Length; i++)
        {
            if (data[i] != 0xFF)
            {
                continue;
            }

            int next = i + 1;
            while (next < data.Length && data[next] == 0xFF)
            {
                next++;
            }

            if (next >= data.Length)
            {
                break;
            }

            if (next == i + 1 && (data[next] == 0x00 || data[next] is >= 0xD0 and <= 0xD7))
            {
                i++;
                continue;
            }

            return i;
        }

        throw new InvalidImageException($"Premature end of JPEG file: the data ends at byte {data.Length} inside the entropy-coded data of a scan");
    }
}
