using System.Buffers.Binary;
using System.Text;
using static System.FormattableString;

namespace MLNetFlows.Persistence;

/// <summary>
/// Checks the layout of the input-schema entry of a model zip — a zero-row data view in ML.NET's binary format (IDV) —
/// before ML.NET reads it: the 256-byte header, the tail signature, the table of contents (one entry per column: name,
/// value codec, compression, rows per block, lookup and annotation offsets) and each column's annotation table of
/// contents (kind, value codec, compression, block offset and size). Every offset and size must lie inside the entry,
/// every codec description inside the bytes it declares — a vector codec's dimension count included — and every count
/// in an annotation's stored value inside the bytes the value inflates to (<see cref="AnnotationValue"/>), so that
/// ML.NET never sizes an array from a count the entry cannot hold.
/// </summary>
internal static class SchemaEntryLayout
{
    private const int HeaderSize = 256;
    private const ulong HeaderSignature = 0x00425644004C4D43; // "CML\0DVB\0"
    private const ulong TailSignature = 0x434D4C0044564200; // "\0BVD\0LMC"
    private const int MaxCodecNesting = 8;

    /// <summary>Throws the exception <paramref name="error"/> makes, describing the first problem, unless the layout holds.</summary>
    /// <param name="bytes">The entry's content.</param>
    /// <param name="error">Makes the exception from a description of the problem.</param>
    public static void Check(byte[] bytes, Func<string, ModelFormatException> error)
    {
        if (bytes.Length < HeaderSize)
        {
            throw error(Invariant($"it holds {bytes.Length:N0} bytes, less than the {HeaderSize}-byte header"));
        }

        var header = bytes.AsSpan(0, HeaderSize);
        if (BinaryPrimitives.ReadUInt64LittleEndian(header) != HeaderSignature)
        {
            throw error("it does not start with the binary data view signature");
        }

        var tocOffset = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        var tailOffset = BinaryPrimitives.ReadInt64LittleEndian(header[32..]);
        var columns = BinaryPrimitives.ReadInt32LittleEndian(header[48..]);
        if (tailOffset < HeaderSize || tailOffset > bytes.Length - 8 || BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)tailOffset)) != TailSignature)
        {
            throw error(Invariant($"its tail offset {tailOffset:N0} does not point at the tail signature inside its {bytes.Length:N0} bytes"));
        }

        if (columns < 0 || (columns > 0 && (tocOffset < HeaderSize || tocOffset >= tailOffset)))
        {
            throw error(Invariant($"its header declares {columns:N0} columns at offset {tocOffset:N0}, outside its {bytes.Length:N0} bytes"));
        }

        var reader = new Reader(bytes, (int)tocOffset, (int)tailOffset, error);
        for (var c = 0; c < columns; c++)
        {
            var name = reader.String($"the name of column {c}");
            reader.Codec($"column '{name}'", 0);
            reader.Skip(1, $"the compression of column '{name}'");
            reader.Leb128($"the rows per block of column '{name}'");
            reader.Skip(8, $"the lookup offset of column '{name}'");
            var annotations = reader.Int64($"the annotation offset of column '{name}'");
            if (annotations != 0)
            {
                CheckAnnotations(bytes, annotations, (int)tailOffset, name, error);
            }
        }
    }

    private static void CheckAnnotations(byte[] bytes, long offset, int end, string column, Func<string, ModelFormatException> error)
    {
        if (offset < HeaderSize || offset >= end)
        {
            throw error(Invariant($"the annotations of column '{column}' are declared at offset {offset:N0}, outside the entry"));
        }

        var reader = new Reader(bytes, (int)offset, end, error);
        var count = reader.Leb128($"the annotation count of column '{column}'");
        if (count == 0 || count > (ulong)(end - offset))
        {
            throw error(Invariant($"column '{column}' declares {count:N0} annotations in {end - offset:N0} bytes"));
        }

        for (ulong i = 0; i < count; i++)
        {
            var kind = reader.String($"the kind of annotation {i} of column '{column}'");
            var owner = $"annotation '{kind}' of column '{column}'";
            var codec = reader.Codec(owner, 0);
            var compression = reader.Byte($"the compression of {owner}");
            var blockOffset = reader.Int64($"the block offset of {owner}");
            var blockSize = reader.Leb128($"the block size of {owner}");
            if (blockOffset < HeaderSize || blockOffset > end || blockSize > (ulong)(end - blockOffset))
            {
                throw error(Invariant($"{owner} declares {blockSize:N0} bytes at offset {blockOffset:N0}, outside the entry"));
            }

            AnnotationValue.Check(codec, bytes.AsSpan((int)blockOffset, (int)blockSize), compression, owner, error);
        }
    }

    /// <summary>Reads the fields of the layout inside [position, end) of the entry, failing on anything that leaves it.</summary>
    private struct Reader(byte[] bytes, int position, int end, Func<string, ModelFormatException> error)
    {
        private int _position = position;

        public void Skip(int count, string what)
        {
            Need(count, what);
            _position += count;
        }

        public byte Byte(string what)
        {
            Need(1, what);
            return bytes[_position++];
        }

        public long Int64(string what)
        {
            Need(8, what);
            var value = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(_position));
            _position += 8;
            return value;
        }

        public ulong Leb128(string what)
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                Need(1, what);
                var b = bytes[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw error(Invariant($"{what} is not a valid variable-length number"));
        }

        public string String(string what)
        {
            var length = Leb128(what);
            if (length > (ulong)(end - _position))
            {
                throw error(Invariant($"{what} declares {length:N0} bytes, past the end of the entry"));
            }

            var text = Encoding.UTF8.GetString(bytes, _position, (int)length);
            _position += (int)length;
            return text;
        }

        /// <summary>A value codec's description: its name, the size of its parameters, the parameters (vectors and keys nest an item codec).</summary>
        public ValueCodec Codec(string owner, int depth)
        {
            if (depth > MaxCodecNesting)
            {
                throw error(Invariant($"the value codec of {owner} nests more than {MaxCodecNesting} codecs"));
            }

            var name = String($"the value codec name of {owner}");
            var size = Leb128($"the value codec of {owner}");
            if (size > (ulong)(end - _position))
            {
                throw error(Invariant($"the value codec '{name}' of {owner} declares {size:N0} bytes of parameters, past the end of the entry"));
            }

            var parameters = new Reader(bytes, _position, _position + (int)size, error);
            _position += (int)size;
            if (name is "VBuffer")
            {
                var item = parameters.Codec(owner, depth + 1);
                parameters.Need(4, $"the dimension count of {owner}");
                var dimensions = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(parameters._position));
                parameters._position += 4;
                if (dimensions < 0 || dimensions > (parameters.Remaining / 4))
                {
                    throw error(Invariant($"the vector type of {owner} declares {dimensions:N0} dimensions in {parameters.Remaining:N0} bytes of parameters"));
                }

                return new ValueCodec(name, item);
            }

            return new ValueCodec(name, name is "Key" or "Key2" ? parameters.Codec(owner, depth + 1) : null);
        }

        private readonly int Remaining => end - _position;

        private readonly void Need(int count, string what)
        {
            if (count > end - _position)
            {
                throw error(Invariant($"{what} runs past the end of the bytes declared for it"));
            }
        }
    }
}
