using TorchSharp;

namespace MLNetFlows.Trainers;

/// <summary>Checks of saved state tensors against the live tensors they are about to overwrite.</summary>
internal static class StateTensors
{
    /// <summary>Throws an <see cref="InvalidDataException"/> unless <paramref name="saved"/> has the shape and dtype of <paramref name="live"/>.</summary>
    public static void RequireLike(torch.Tensor saved, torch.Tensor live, string subject)
    {
        if (!saved.shape.SequenceEqual(live.shape))
        {
            throw new InvalidDataException($"{subject} has shape {Format(saved.shape)}, expected {Format(live.shape)}");
        }

        if (saved.dtype != live.dtype)
        {
            throw new InvalidDataException($"{subject} has dtype {saved.dtype}, expected {live.dtype}");
        }
    }

    /// <summary>A shape as "[a, b, c]".</summary>
    public static string Format(ReadOnlySpan<long> shape) => $"[{string.Join(", ", shape.ToArray())}]";
}
