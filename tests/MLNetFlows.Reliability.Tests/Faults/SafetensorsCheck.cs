using System.Buffers.Binary;
using System.Text.Json;

namespace MLNetFlows.Reliability.Tests.Faults;

/// <summary>
/// Checks, independently of the library's codec, that a safetensors file is complete: an 8-byte header length, a JSON
/// header of that length, and tensors whose data offsets tile the rest of the file exactly.
/// </summary>
internal static class SafetensorsCheck
{
    /// <summary>Null when <paramref name="path"/> is a complete safetensors file, else what is wrong.</summary>
    public static string? Problem(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
        {
            return $"{bytes.Length} bytes: shorter than the header length field";
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            return $"declares a {headerLength}-byte header in a {bytes.Length}-byte file";
        }

        try
        {
            using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            long end = 0;
            var tensors = 0;
            foreach (var tensor in header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
            {
                var offsets = tensor.Value.GetProperty("data_offsets");
                end = Math.Max(end, offsets[1].GetInt64());
                tensors++;
            }

            var data = bytes.LongLength - 8 - (long)headerLength;
            return tensors == 0 ? "holds no tensors"
                : end != data ? $"its tensors end at byte {end} of a {data}-byte data buffer"
                : null;
        }
        catch (JsonException e)
        {
            return $"the header is not valid JSON: {e.Message}";
        }
    }
}
