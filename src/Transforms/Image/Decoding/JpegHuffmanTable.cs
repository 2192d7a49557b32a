namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>
/// One Huffman table of a DHT segment, in the decoding form of ITU T.81 Annex F.2.2.3 (MINCODE, MAXCODE, VALPTR per
/// code length).
/// </summary>
internal sealed class JpegHuffmanTable
{
    private const int MaxCodeLength = 16;
    private const int FastBits = 9;
    private readonly int[] _minCode = new int[MaxCodeLength + 1];
    private readonly int[] _maxCode = new int[MaxCodeLength + 1];
    private readonly int[] _valuePointer = new int[MaxCodeLength + 1];
    private readonly byte[] _values;

    /// <summary>For each 9-bit prefix: (code length &lt;&lt; 8) | symbol of a code of at most 9 bits it starts with, or -1.</summary>
    private readonly short[] _fast = new short[1 << FastBits];

    private JpegHuffmanTable(byte[] counts, byte[] values)
    {
        _values = values;
        int code = 0, k = 0;
        for (int length = 1; length <= MaxCodeLength; length++)
        {
            int count = counts[length - 1];
            _valuePointer[length] = k;
            _minCode[length] = code;
            code += count;
            k += count;
            if (code > 1 << length)
            {
                throw new InvalidImageException("Corrupt JPEG data: Bogus Huffman table definition (more codes than the code lengths allow)");
            }

            _maxCode[length] = count > 0 ? code - 1 : -1;
            code <<= 1;
        }

        Array.Fill(_fast, (short)-1);
        for (int length = 1; length <= FastBits; length++)
        {
            for (int c = _minCode[length]; c <= _maxCode[length]; c++)
            {
                int first = c << (FastBits - length), entry = (length << 8) | values[_valuePointer[length] + c - _minCode[length]];
                _fast.AsSpan(first, 1 << (FastBits - length)).Fill((short)entry);
            }
        }
    }

    /// <summary>Reads one table from a DHT segment.</summary>
    /// <param name="segment">The DHT segment's data after its length field.</param>
    /// <param name="offset">Where the table starts (its class/index byte); moved past it.</param>
    /// <returns>The table class (0 DC, 1 AC), its index (0–3) and the table.</returns>
    /// <exception cref="InvalidImageException">The definition is malformed.</exception>
    public static (int Class, int Index, JpegHuffmanTable Table) Read(ReadOnlySpan<byte> segment, ref int offset)
    {
        if (segment.Length - offset < 1 + MaxCodeLength)
        {
            throw new InvalidImageException("Corrupt JPEG data: Bogus Huffman table definition (the DHT segment is too short)");
        }

        int tableClass = segment[offset] >> 4, index = segment[offset] & 0x0F;
        if (tableClass > 1 || index > 3)
        {
            throw new InvalidImageException($"Corrupt JPEG data: Bogus DHT index {segment[offset]:X2} (class {tableClass}, index {index})");
        }

        byte[] counts = segment.Slice(offset + 1, MaxCodeLength).ToArray();
        int total = counts.Sum(c => c);
        offset += 1 + MaxCodeLength;
        if (total > 256 || segment.Length - offset < total)
        {
            throw new InvalidImageException($"Corrupt JPEG data: Bogus Huffman table definition ({total} symbols declared)");
        }

        byte[] values = segment.Slice(offset, total).ToArray();
        offset += total;
        return (tableClass, index, new JpegHuffmanTable(counts, values));
    }

    /// <summary>Decodes one symbol.</summary>
    /// <param name="reader">The entropy-coded data.</param>
    /// <returns>The symbol.</returns>
    /// <exception cref="InvalidImageException">No code of at most 16 bits matches, or the data ends.</exception>
    public int Decode(JpegBitReader reader)
    {
        int entry = _fast[reader.Peek(FastBits)];
        if (entry >= 0)
        {
            reader.Skip(entry >> 8);
            return entry & 0xFF;
        }

        int bits = reader.Peek(MaxCodeLength);
        for (int length = FastBits + 1; length <= MaxCodeLength; length++)
        {
            int code = bits >> (MaxCodeLength - length);
            if (code <= _maxCode[length])
            {
                reader.Skip(length);
                return _values[_valuePointer[length] + code - _minCode[length]];
            }
        }

        throw new InvalidImageException("Corrupt JPEG data: bad Huffman code");
    }
}
