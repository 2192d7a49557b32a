using System.Globalization;

namespace MLNetFlows.Torch;

/// <summary>Kinds of compute device; the values are libtorch's <c>c10::DeviceType</c> codes.</summary>
public enum DeviceType
{
    /// <summary>The host CPU.</summary>
    Cpu = 0,

    /// <summary>An NVIDIA GPU (needs a CUDA build of libtorch).</summary>
    Cuda = 1,
}

/// <summary>A compute device, written as PyTorch writes it: <c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>.</summary>
/// <param name="Type">The kind of device.</param>
/// <param name="Index">The device ordinal, or -1 for the current device of that kind.</param>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    /// <summary>The CPU.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu);

    /// <summary>The CUDA device with the given ordinal.</summary>
    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed == "cpu")
        {
            return Cpu;
        }

        if (trimmed == "cuda")
        {
            return Cuda();
        }

        if (trimmed.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(trimmed.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return Cuda(index);
        }

        throw new FormatException($"'{text}' is not a device: expected 'cpu', 'cuda' or 'cuda:N'.");
    }

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        DeviceType.Cpu => "cpu",
        _ => Index < 0 ? "cuda" : $"cuda:{Index.ToString(CultureInfo.InvariantCulture)}",
    };
}
