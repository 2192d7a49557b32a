using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;

namespace MLNetFlows.Models.Serialization;

/// <summary>
/// The JSON header of a safetensors file (layout in <see cref="SafetensorsFile"/>): encoding it with string metadata,
/// and reading it, validated against the file before any tensor memory is allocated.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The header key of the string → string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Largest tensor read, in bytes (a tensor is filled through one <see cref="Span{T}"/>, whose length is an int).</summary>
    public const long MaxTensorBytes = int.MaxValue;

    // Readable headers: quotes inside JSON metadata stay quotes rather than \u0022 (both are valid JSON).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private SafetensorsHeader(Dictionary<string, string> metadata, List<SafetensorsEntry> tensors, long dataStart)
    {
        Metadata = metadata;
        Tensors = tensors;
        DataStart = dataStart;
    }

    /// <summary>Gets the "__metadata__" entries (empty when there are none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Gets the tensors' entries, in the header's order.</summary>
    public IReadOnlyList<SafetensorsEntry> Tensors { get; }

    /// <summary>Gets the stream position of the data buffer (the file's start + 8 + the header length).</summary>
    public long DataStart { get; }

    /// <summary>
    /// The header of <paramref name="tensors"/> (contiguous, in this order, laid out back to back) with
    /// <paramref name="metadata"/> (omitted when empty), padded with spaces to a multiple of 8 bytes.
    /// </summary>
    /// <exception cref="NotSupportedException">A tensor's dtype has no safetensors name.</exception>
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, torch.Tensor>> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, WriterOptions))
        {
            writer.WriteStartObject();
            if (metadata.Count > 0)
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                var bytes = tensor.NumberOfElements * tensor.ElementSize;
                writer.WriteStartObject(name);
                writer.WriteString("dtype", SafetensorsDTypes.NameOf(tensor.dtype));
                writer.WriteStartArray("shape");
                foreach (var size in tensor.shape)
                {
                    writer.WriteNumberValue(size);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + bytes);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += bytes;
            }

            writer.WriteEndObject();
        }

        var length = (int)json.Length;
        var padded = new byte[(length + 7) / 8 * 8];
        json.GetBuffer().AsSpan(0, length).CopyTo(padded);
        padded.AsSpan(length).Fill((byte)' ');
        return padded;
    }

    /// <summary>
    /// Reads and checks the header of the safetensors data that fills <paramref name="stream"/> from its position to its
    /// end (the stream must know its length) against that length. Only the header is read: its declared length must fit the stream and the
    /// limit, it must be a JSON object of known dtypes, non-negative shapes whose byte sizes equal their data_offsets,
    /// names listed once, and offsets that tile the data buffer exactly (no gap, overlap or excess).
    /// </summary>
    /// <param name="stream">The data.</param>
    /// <param name="source">The file or entry name, for messages.</param>
    /// <exception cref="InvalidDataException">"'source' is not a valid safetensors file: " and the first problem.</exception>
    public static SafetensorsHeader Read(Stream stream, string source)
    {
        var start = stream.Position;
        var length = stream.Length - start;
        Span<byte> lengthBytes = stackalloc byte[8];
        if (length < 8 || stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
        {
            throw Invalid(source, $"expected at least 8 bytes for the header length, got {length}");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(length - 8))
        {
            throw Invalid(source, $"header length {headerLength} exceeds the file ({length - 8} bytes after the length) or the limit {MaxHeaderBytes}");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{source}' is not a valid safetensors file: the header is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source, "the header must be a JSON object");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<SafetensorsEntry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw Invalid(source, $"'{property.Name}' appears twice in the header");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(source, property.Value, metadata);
                }
                else
                {
                    entries.Add(ReadEntry(source, property.Name, property.Value));
                }
            }

            CheckTiling(source, entries, length - 8 - (long)headerLength);
            return new SafetensorsHeader(metadata, entries, start + 8 + (long)headerLength);
        }
    }

    private static void ReadMetadata(string source, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"'{MetadataKey}' must be an object of strings");
        }

        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(source, $"metadata '{item.Name}' must be a string, got {item.Value.ValueKind}");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw Invalid(source, $"metadata '{item.Name}' appears twice");
            }
        }
    }

    private static SafetensorsEntry ReadEntry(string source, string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !element.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2)
        {
            throw Invalid(source, $"tensor '{name}' must have a string 'dtype', an array 'shape' and a two-element array 'data_offsets'");
        }

        if (!SafetensorsDTypes.TryFind(dtype.GetString()!, out var type, out var elementSize))
        {
            throw Invalid(source, $"tensor '{name}' has dtype '{dtype.GetString()}', expected one of {SafetensorsDTypes.Names}");
        }

        long count = 1;
        var dimensions = new List<long>();
        foreach (var size in shape.EnumerateArray())
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var value) || value < 0)
            {
                throw Invalid(source, $"tensor '{name}' has an invalid shape entry {size}");
            }

            dimensions.Add(value);
            count = TimesOrNegative(count, value);
        }

        var dims = string.Join(", ", dimensions);
        var byteCount = TimesOrNegative(count, elementSize);
        if (count < 0 || byteCount < 0)
        {
            throw Invalid(source, $"tensor '{name}' of shape [{dims}] is too large");
        }

        var bounds = offsets.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.Number && o.TryGetInt64(out var v) ? v : -1).ToArray();
        if (bounds[0] < 0 || bounds[1] < bounds[0])
        {
            throw Invalid(source, $"tensor '{name}' has invalid data_offsets [{bounds[0]}, {bounds[1]}]");
        }

        if (bounds[1] - bounds[0] != byteCount)
        {
            throw Invalid(source, $"tensor '{name}' of shape [{dims}] {dtype.GetString()} needs {byteCount} bytes, but its data_offsets span {bounds[1] - bounds[0]}");
        }

        if (byteCount > MaxTensorBytes)
        {
            throw Invalid(source, $"tensor '{name}' holds {byteCount} bytes, more than the {MaxTensorBytes} one tensor may hold here");
        }

        return new SafetensorsEntry(name, type, [.. dimensions], bounds[0], bounds[1]);
    }

    /// <summary>a·b for non-negative a and b, or −1 when either is negative or the product overflows.</summary>
    private static long TimesOrNegative(long a, long b) => a < 0 || b < 0 || (a > 0 && b > long.MaxValue / a) ? -1 : a * b;

    private static void CheckTiling(string source, List<SafetensorsEntry> entries, long dataLength)
    {
        long position = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != position)
            {
                throw Invalid(source, $"tensor '{entry.Name}' starts at byte {entry.Begin}, expected {position}: offsets overlap or leave a gap");
            }

            position = entry.End;
        }

        if (position != dataLength)
        {
            throw Invalid(source, $"the tensors cover {position} bytes but the data buffer holds {dataLength}");
        }
    }

    private static InvalidDataException Invalid(string source, string reason) => new($"'{source}' is not a valid safetensors file: {reason}");
}
