using TorchSharp;

namespace MLNetFlows.Models.Serialization;

/// <summary>
/// The safetensors dtype names this codec writes and reads, with their TorchSharp element types and sizes: every
/// safetensors dtype TorchSharp has (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL; not U16, U32, U64 nor the F8
/// variants).
/// </summary>
internal static class SafetensorsDTypes
{
    private static readonly (string Name, torch.ScalarType Type, int Size)[] Table =
    [
        ("F64", torch.ScalarType.Float64, 8),
        ("F32", torch.ScalarType.Float32, 4),
        ("F16", torch.ScalarType.Float16, 2),
        ("BF16", torch.ScalarType.BFloat16, 2),
        ("I64", torch.ScalarType.Int64, 8),
        ("I32", torch.ScalarType.Int32, 4),
        ("I16", torch.ScalarType.Int16, 2),
        ("I8", torch.ScalarType.Int8, 1),
        ("U8", torch.ScalarType.Byte, 1),
        ("BOOL", torch.ScalarType.Bool, 1),
    ];

    /// <summary>Gets the names, comma-separated, for messages.</summary>
    public static string Names { get; } = string.Join(", ", Table.Select(d => d.Name));

    /// <summary>The safetensors name of <paramref name="type"/>.</summary>
    /// <exception cref="NotSupportedException">Safetensors has no such dtype (e.g. complex numbers).</exception>
    public static string NameOf(torch.ScalarType type)
    {
        foreach (var (name, candidate, _) in Table)
        {
            if (candidate == type)
            {
                return name;
            }
        }

        throw new NotSupportedException($"safetensors has no dtype for {type}");
    }

    /// <summary>Finds the dtype called <paramref name="name"/>; false when this codec does not know it.</summary>
    /// <param name="name">A safetensors dtype name, e.g. "F32".</param>
    /// <param name="type">The TorchSharp element type.</param>
    /// <param name="size">Bytes per element.</param>
    public static bool TryFind(string name, out torch.ScalarType type, out int size)
    {
        foreach (var (candidate, candidateType, candidateSize) in Table)
        {
            if (candidate == name)
            {
                (type, size) = (candidateType, candidateSize);
                return true;
            }
        }

        (type, size) = (default, 0);
        return false;
    }
}
