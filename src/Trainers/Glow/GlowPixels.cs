using TorchSharp;

namespace MLNetFlows.Trainers.Glow;

/// <summary>The pixels Glow trains on: UInt8 tensors [N, C, H, W] of pixel levels, and batches of their rows.</summary>
internal static class GlowPixels
{
    /// <summary>Throws an <see cref="ArgumentException"/> unless <paramref name="pixels"/> are UInt8 [N ≥ 1, C, H, W] of the options' geometry.</summary>
    public static void Check(GlowTrainerOptions options, torch.Tensor pixels, string role)
    {
        var expected = new long[] { options.Channels, options.ImageHeight, options.ImageWidth };
        if (pixels.Dimensions != 4 || !pixels.shape[1..].SequenceEqual(expected) || pixels.shape[0] < 1)
        {
            throw new ArgumentException($"{role} pixels must have shape [N ≥ 1, {string.Join(", ", expected)}], got [{string.Join(", ", pixels.shape)}]");
        }

        if (pixels.dtype != torch.ScalarType.Byte)
        {
            throw new ArgumentException($"{role} pixels must be UInt8 pixel levels in [0, 255], got {pixels.dtype}");
        }
    }

    /// <summary>The row indices of one batch as an Int64 tensor on <paramref name="device"/>, for <c>index_select</c>.</summary>
    public static torch.Tensor Indices(ReadOnlySpan<int> rows, torch.Device device)
    {
        var values = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = rows[i];
        }

        return torch.tensor(values, device: device);
    }
}
