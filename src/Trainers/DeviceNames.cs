using System.Globalization;
using TorchSharp;

namespace MLNetFlows.Trainers;

/// <summary>Devices written as PyTorch writes them: <c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>.</summary>
internal static class DeviceNames
{
    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case and surrounding spaces ignored).</summary>
    /// <exception cref="FormatException">Anything else; the message names the text and the accepted forms.</exception>
    public static torch.Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed == "cpu")
        {
            return torch.CPU;
        }

        if (trimmed == "cuda")
        {
            return new torch.Device(DeviceType.CUDA);
        }

        if (trimmed.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(trimmed.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return new torch.Device(DeviceType.CUDA, index);
        }

        throw new FormatException($"'{text}' is not a device: expected 'cpu', 'cuda' or 'cuda:N'.");
    }
}
