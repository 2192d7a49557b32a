using System.Buffers.Binary;
using TorchSharp;

namespace MLNetFlows.Models.Serialization;

/// <summary>
/// The project's one safetensors codec (https://github.com/huggingface/safetensors): Glow weights inside saved ML.NET
/// models, training checkpoints and test fixtures, all readable with Python's <c>safetensors.torch.load_file</c> /
/// <c>safe_open</c>. Layout:
/// <list type="number">
/// <item>8 bytes: N, the header length, unsigned little-endian;</item>
/// <item>N bytes: a UTF-8 JSON object mapping each tensor name to {"dtype", "shape", "data_offsets": [begin, end]}, and
/// "__metadata__", an object of string → string (written only when there is metadata); padded with spaces to a
/// multiple of 8 bytes;</item>
/// <item>the data buffer: each tensor's elements, little-endian, row-major (contiguous, whatever the strides in
/// memory), at its offsets relative to the buffer start; written in ordinal name order, without gaps.</item>
/// </list>
/// <para>
/// Hand-written rather than TorchSharp.PyBridge's <c>Safetensors</c> (1.4.4), which cannot do the job here: its
/// <c>SaveStateDict</c> takes no metadata (and leaves the header unpadded); its <c>LoadStateDict</c> drops the metadata,
/// checks no more than each tensor's element count (other mismatches surface as an unsupported-operation error), and throws a
/// <c>JsonException</c> on valid files whose metadata has a key named "dtype", "shape" or "data_offsets" (pinned by
/// SafetensorsFileTests). Reading is therefore one pass here: <see cref="SafetensorsHeader"/> checks the whole header
/// against the file's length, and only then is each tensor allocated and filled from its byte range. Nothing in a file
/// is executed.
/// </para>
/// <para>
/// Errors: a malformed file or entry is an <see cref="InvalidDataException"/> whose message starts
/// "'&lt;path or entry&gt;' is not a valid safetensors file: " and names the first problem; a tensor whose dtype has no
/// safetensors name (e.g. complex) is a <see cref="NotSupportedException"/> at writing.
/// </para>
/// </summary>
internal static class SafetensorsFile
{
    private const int CopyBufferBytes = 1 << 16;

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    /// <summary>
    /// Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/> atomically: to a
    /// temporary file in the same folder, flushed to disk, then renamed over the target, so a crash or a failed write
    /// never leaves a half-written file (the previous file, if any, stays intact).
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="tensors">The tensors by name (any device and layout: written as contiguous CPU data).</param>
    /// <param name="metadata">String metadata, or null for none.</param>
    public static void WriteAtomically(string path, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(stream, tensors, metadata);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The safetensors bytes of <paramref name="tensors"/> and <paramref name="metadata"/> (e.g. an entry of a model file).</summary>
    /// <param name="tensors">The tensors by name.</param>
    /// <param name="metadata">String metadata, or null for none.</param>
    public static byte[] ToBytes(IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream();
        Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="stream"/>.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="tensors">The tensors by name.</param>
    /// <param name="metadata">String metadata, or null for none.</param>
    /// <exception cref="ArgumentException">A tensor is named "__metadata__".</exception>
    /// <exception cref="NotSupportedException">A tensor's dtype has no safetensors name.</exception>
    public static void Write(Stream stream, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.ContainsKey(SafetensorsHeader.MetadataKey))
        {
            throw new ArgumentException($"'{SafetensorsHeader.MetadataKey}' is reserved and cannot name a tensor", nameof(tensors));
        }

        using var scope = torch.NewDisposeScope();
        var contiguous = tensors.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value.detach().cpu().contiguous()))
            .ToList();
        var header = SafetensorsHeader.Encode(contiguous, metadata ?? NoMetadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var (_, tensor) in contiguous)
        {
            tensor.WriteBytesToStream(stream, CopyBufferBytes);
        }
    }

    /// <summary>Reads a safetensors file into CPU tensors, validated first; the caller disposes the result.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file; the message says why.</exception>
    public static SafetensorsContent Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path);
    }

    /// <summary>Reads safetensors bytes (e.g. an entry of a model file) into CPU tensors, validated first; the caller disposes the result.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="source">What the bytes are (an entry name), for messages.</param>
    /// <exception cref="InvalidDataException">The bytes are not valid safetensors; the message says why.</exception>
    public static SafetensorsContent Read(byte[] data, string source)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream(data, writable: false);
        return Read(stream, source);
    }

    private static SafetensorsContent Read(Stream stream, string source)
    {
        var header = SafetensorsHeader.Read(stream, source);
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var entry in header.Tensors)
        {
            var tensor = torch.empty(entry.Shape, entry.DType);
            stream.Position = header.DataStart + entry.Begin;
            stream.ReadExactly(tensor.bytes);
            tensors.Add(entry.Name, tensor);
        }

        foreach (var tensor in tensors.Values)
        {
            tensor.DetachFromDisposeScope();
        }

        return new SafetensorsContent(tensors, header.Metadata);
    }
}
