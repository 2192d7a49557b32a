using System.Buffers.Binary;
using System.IO.Compression;
using static System.FormattableString;

namespace MLNetFlows.Persistence;

/// <summary>A value codec as a binary data view declares it: ML.NET's codec name and, for vectors and keys, the item codec.</summary>
/// <param name="Name">The codec's name, e.g. <c>VBuffer</c>, <c>TextSpan</c>, <c>Single</c>.</param>
/// <param name="Item">The codec of a vector's items or a key's raw values; null for the others.</param>
internal sealed record ValueCodec(string Name, ValueCodec? Item);

/// <summary>
/// Checks the stored value of one annotation of a binary data view (a block, deflated or not, holding one value in its
/// codec's format) before ML.NET reads it: every count in it — a vector's length, its active items, its indices, a
/// text's entries and characters — must fit in the bytes the block inflates to, which are capped. ML.NET's reader sizes
/// its arrays from these counts before reading the items, so a damaged count would otherwise allocate gigabytes.
/// </summary>
internal static class AnnotationValue
{
    private const int MaxInflatedBytes = 16 << 20;
    private const byte Uncompressed = 0; // ML.NET's CompressionKind.None
    private const byte Deflated = 1;     // CompressionKind.Deflate: raw DEFLATE

    // Bytes per item of the codecs with fixed-size items (ML.NET's UnsafeTypeCodec and friends); booleans are bits.
    private static readonly Dictionary<string, int> ItemBytes = new(StringComparer.Ordinal)
    {
        ["SByte"] = 1, ["Byte"] = 1, ["Int16"] = 2, ["UInt16"] = 2, ["Int32"] = 4, ["UInt32"] = 4, ["Single"] = 4,
        ["Int64"] = 8, ["UInt64"] = 8, ["Double"] = 8, ["TimeSpan"] = 8, ["DateTime"] = 8, ["DateTimeOffset"] = 10,
        ["UInt128"] = 16, ["DataViewRowId"] = 16,
    };

    /// <summary>Throws the exception <paramref name="error"/> makes unless <paramref name="block"/> holds a value <paramref name="codec"/> can read within its bytes.</summary>
    /// <param name="codec">The annotation's declared codec.</param>
    /// <param name="block">The stored block.</param>
    /// <param name="compression">The block's compression code.</param>
    /// <param name="owner">Names the annotation in messages, e.g. "annotation 'KeyValues' of column 'Label'".</param>
    /// <param name="error">Makes the exception from a description of the problem.</param>
    public static void Check(ValueCodec codec, ReadOnlySpan<byte> block, byte compression, string owner, Func<string, ModelFormatException> error)
    {
        var value = compression switch
        {
            Uncompressed => block.ToArray(),
            Deflated => Inflate(block, owner, error),
            _ => throw error(Invariant($"{owner} is stored with compression code {compression}, which ML.NET does not define")),
        };
        new ValueReader(value, owner, error).Values(codec, 1);
    }

    private static byte[] Inflate(ReadOnlySpan<byte> block, string owner, Func<string, ModelFormatException> error)
    {
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(block.ToArray()), CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            var buffer = new byte[1 << 16];
            int read;
            while ((read = deflate.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (inflated.Length + read > MaxInflatedBytes)
                {
                    throw error(Invariant($"{owner} inflates to more than {MaxInflatedBytes >> 20} MB"));
                }

                inflated.Write(buffer, 0, read);
            }

            return inflated.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw error($"{owner} is not valid DEFLATE data ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>Walks a value in ML.NET's codec formats, checking each count against the bytes left.</summary>
    private struct ValueReader(byte[] bytes, string owner, Func<string, ModelFormatException> error)
    {
        private int _position;

        private readonly long Remaining => bytes.Length - _position;

        /// <summary><paramref name="items"/> values of <paramref name="codec"/>.</summary>
        public void Values(ValueCodec codec, long items)
        {
            switch (codec.Name)
            {
                case "VBuffer":
                    Vectors(codec.Item ?? throw error(Invariant($"the vector codec of {owner} has no item codec")), items);
                    break;
                case "Key" or "Key2":
                    Values(codec.Item ?? throw error(Invariant($"the key codec of {owner} has no item codec")), items);
                    break;
                case "TextSpan":
                    Texts(items);
                    break;
                case "Boolean":
                    Require(items, (Remaining * 8) + 7, "booleans");
                    break;
                default:
                    // Fixed-size items; a codec this check does not know takes at least a byte per item.
                    var size = ItemBytes.GetValueOrDefault(codec.Name, 1);
                    Require(items, Remaining / size, $"'{codec.Name}' values");
                    _position += (int)(items * size);
                    break;
            }
        }

        // VBufferCodec: vector count; fixed length or 0; lengths if 0; counts (−1 = dense); index count; indices; items.
        private void Vectors(ValueCodec item, long vectors)
        {
            var declared = Int32("the vector count");
            if (declared != vectors)
            {
                throw error(Invariant($"the value of {owner} declares {declared:N0} vectors where {vectors:N0} are stored"));
            }

            var fixedLength = Int32("the vector length");
            NonNegative(fixedLength, "vector length");
            Require(vectors, Remaining / 4, "vector lengths and counts");
            var lengths = new long[vectors];
            for (var v = 0; v < vectors; v++)
            {
                lengths[v] = fixedLength > 0 ? fixedLength : Int32("a vector length");
                NonNegative(lengths[v], "vector length");
            }

            long total = 0;
            for (var v = 0; v < vectors; v++)
            {
                var count = Int32("a vector's active count");
                total += count < 0 ? lengths[v] : count;
            }

            var indices = Int32("the index count");
            NonNegative(indices, "index count");
            Require(indices, Remaining / 4, "indices");
            _position += indices * 4;
            Values(item, total);
        }

        // TextCodec: entry count; end boundaries (int each); the characters as one LEB128-prefixed UTF-8 string.
        private void Texts(long items)
        {
            var entries = Int32("the text count");
            if (entries != items)
            {
                throw error(Invariant($"the value of {owner} declares {entries:N0} texts where {items:N0} are stored"));
            }

            Require(items, Remaining / 4, "text boundaries");
            _position += (int)(items * 4);
            ulong characters = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                Require(1, Remaining, "text bytes");
                var b = bytes[_position++];
                characters |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    Require((long)characters, Remaining, "bytes of text");
                    return;
                }
            }

            throw error(Invariant($"the text length of {owner} is not a valid variable-length number"));
        }

        private int Int32(string what)
        {
            if (Remaining < 4)
            {
                throw error(Invariant($"{what} of {owner} runs past the end of its {bytes.Length:N0} stored bytes"));
            }

            var value = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(_position));
            _position += 4;
            return value;
        }

        private readonly void Require(long count, long fits, string what)
        {
            if (count > fits)
            {
                throw error(Invariant($"the value of {owner} declares {count:N0} {what}, more than its {bytes.Length:N0} stored bytes can hold"));
            }
        }

        private readonly void NonNegative(long value, string what)
        {
            if (value < 0)
            {
                throw error(Invariant($"the value of {owner} declares a negative {what} ({value:N0})"));
            }
        }
    }
}
