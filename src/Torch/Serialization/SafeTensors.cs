using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MLNetFlows.Torch.Serialization;

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors), so weights saved here open
/// with Python's <c>safetensors.torch.load_file</c>. Layout:
/// <list type="number">
/// <item>8 bytes: N, the header length, unsigned little-endian;</item>
/// <item>N bytes: UTF-8 JSON object mapping each tensor name to {"dtype", "shape", "data_offsets": [begin, end]}, plus an
/// optional "__metadata__" object of string → string; padded with spaces to a multiple of 8 bytes;</item>
/// <item>the data buffer: each tensor's elements, little-endian, row-major, at its offsets relative to the buffer start.
/// Tensors are written in ordinal name order, contiguously, without gaps.</item>
/// </list>
/// Reading validates everything before creating any tensor: header length within the file, well-formed JSON, known
/// dtypes, non-negative shapes whose byte size matches the offsets, and offsets that tile the buffer exactly.
/// </summary>
public static class SafeTensors
{
    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes tensors (moved to the CPU) and optional metadata atomically: a temp file, then a rename.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(stream, tensors, metadata);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes tensors and optional metadata to a stream.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        if (names.Contains(MetadataKey))
        {
            throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor", nameof(tensors));
        }

        var header = EncodeHeader(names, tensors, metadata, out var sizes);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        for (var i = 0; i < names.Count; i++)
        {
            var buffer = new byte[sizes[i]];
            tensors[names[i]].CopyBytesTo(buffer);
            stream.Write(buffer);
        }
    }

    /// <summary>Reads a safetensors file into CPU tensors; the caller owns (and disposes) the result.</summary>
    public static SafeTensorsContent Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafeTensorsFormatException($"cannot read '{path}': {e.Message}", e);
        }

        try
        {
            return Read(bytes);
        }
        catch (SafeTensorsFormatException e)
        {
            throw new SafeTensorsFormatException($"'{path}' is not a valid safetensors file: {e.Message}", e);
        }
    }

    /// <summary>Parses safetensors bytes into CPU tensors; the caller owns (and disposes) the result.</summary>
    public static SafeTensorsContent Read(ReadOnlySpan<byte> bytes)
    {
        var entries = ParseHeader(bytes, out var dataStart, out var metadata);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in entries)
            {
                var data = bytes.Slice((int)(dataStart + entry.Begin), (int)(entry.End - entry.Begin));
                tensors.Add(entry.Name, Tensor.FromBytes(data, entry.Shape, entry.DType).DetachFromScope());
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }

            throw;
        }

        return new SafeTensorsContent(tensors, metadata);
    }

    private static byte[] EncodeHeader(List<string> names, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata, out long[] sizes)
    {
        sizes = new long[names.Count];
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            for (var i = 0; i < names.Count; i++)
            {
                var tensor = tensors[names[i]];
                sizes[i] = tensor.NumberOfElements * tensor.DType.ElementSize();
                writer.WriteStartObject(names[i]);
                writer.WriteString("dtype", DTypeName(tensor.DType));
                writer.WriteStartArray("shape");
                foreach (var size in tensor.Shape)
                {
                    writer.WriteNumberValue(size);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + sizes[i]);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += sizes[i];
            }

            writer.WriteEndObject();
        }

        var length = (int)json.Length;
        var padded = new byte[(length + 7) / 8 * 8];
        json.GetBuffer().AsSpan(0, length).CopyTo(padded);
        padded.AsSpan(length).Fill((byte)' ');
        return padded;
    }

    private static List<Entry> ParseHeader(ReadOnlySpan<byte> bytes, out long dataStart, out Dictionary<string, string> metadata)
    {
        if (bytes.Length < 8)
        {
            throw new SafeTensorsFormatException($"expected at least 8 bytes for the header length, got {bytes.Length}");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
        {
            throw new SafeTensorsFormatException($"header length {headerLength} exceeds the file ({bytes.Length - 8} bytes after the length) or the limit {MaxHeaderBytes}");
        }

        dataStart = 8 + (long)headerLength;
        var dataLength = bytes.Length - dataStart;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.Slice(8, (int)headerLength).ToArray());
        }
        catch (JsonException e)
        {
            throw new SafeTensorsFormatException($"the header is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SafeTensorsFormatException("the header must be a JSON object");
            }

            metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata);
                }
                else
                {
                    entries.Add(ReadEntry(property.Name, property.Value));
                }
            }

            CheckTiling(entries, dataLength);
            return entries;
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SafeTensorsFormatException("'__metadata__' must be an object of strings");
        }

        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafeTensorsFormatException($"metadata '{item.Name}' must be a string, got {item.Value.ValueKind}");
            }

            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static Entry ReadEntry(string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !element.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            throw new SafeTensorsFormatException($"tensor '{name}' must have a string 'dtype', an array 'shape' and a two-element array 'data_offsets'");
        }

        var dtype = ParseDType(name, dtypeElement.GetString()!);
        var shape = new long[shapeElement.GetArrayLength()];
        var i = 0;
        long count = 1;
        foreach (var size in shapeElement.EnumerateArray())
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var value) || value < 0)
            {
                throw new SafeTensorsFormatException($"tensor '{name}' has an invalid shape entry {size}");
            }

            shape[i++] = value;
            count = checked(count * value);
        }

        var offsets = offsetsElement.EnumerateArray().Select(o => o.TryGetInt64(out var v) ? v : -1).ToArray();
        if (offsets[0] < 0 || offsets[1] < offsets[0])
        {
            throw new SafeTensorsFormatException($"tensor '{name}' has invalid data_offsets [{offsets[0]}, {offsets[1]}]");
        }

        var expected = checked(count * dtype.ElementSize());
        if (offsets[1] - offsets[0] != expected)
        {
            throw new SafeTensorsFormatException($"tensor '{name}' of shape [{string.Join(", ", shape)}] {dtypeElement.GetString()} needs {expected} bytes, but its data_offsets span {offsets[1] - offsets[0]}");
        }

        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static void CheckTiling(List<Entry> entries, long dataLength)
    {
        long position = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != position)
            {
                throw new SafeTensorsFormatException($"tensor '{entry.Name}' starts at byte {entry.Begin}, expected {position}: offsets overlap or leave a gap");
            }

            position = entry.End;
        }

        if (position != dataLength)
        {
            throw new SafeTensorsFormatException($"the tensors cover {position} bytes but the data buffer holds {dataLength}");
        }
    }

    private static string DTypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.Int32 => "I32",
        DType.UInt8 => "U8",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unsupported dtype"),
    };

    private static DType ParseDType(string name, string text) => text switch
    {
        "F32" => DType.Float32,
        "F64" => DType.Float64,
        "I64" => DType.Int64,
        "I32" => DType.Int32,
        "U8" => DType.UInt8,
        "BOOL" => DType.Bool,
        _ => throw new SafeTensorsFormatException(string.Create(CultureInfo.InvariantCulture, $"tensor '{name}' has unsupported dtype '{text}' (supported: F32, F64, I64, I32, U8, BOOL)")),
    };

    private sealed record Entry(string Name, DType DType, long[] Shape, long Begin, long End);
}

/// <summary>The tensors and metadata of a safetensors file; disposing it disposes the tensors.</summary>
public sealed class SafeTensorsContent : IDisposable
{
    internal SafeTensorsContent(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Tensors by name.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>The "__metadata__" entries.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}

/// <summary>A file or buffer that does not follow the safetensors format; the message says what is wrong.</summary>
public sealed class SafeTensorsFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SafeTensorsFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public SafeTensorsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
