using static TorchSharp.torch;

namespace MLNetFlows.Models.InfoGan;

/// <summary>
/// What the Q network infers about the codes of a batch of images: the categorical codes' logits side by side
/// [N, Σ Kᵢ] (code i's block starts at the sum of the earlier class counts), and for the continuous codes the mean and
/// the log standard deviation of a factored Gaussian [N, M] (zeros, σ = 1, unless the architecture learns it).
/// The tensors belong to the caller's dispose scope.
/// </summary>
/// <param name="CategoryLogits">Unnormalised log-probabilities of every categorical code's classes.</param>
/// <param name="ContinuousMean">Means of the continuous codes.</param>
/// <param name="ContinuousLogStd">Log standard deviations of the continuous codes.</param>
public sealed record InfoGanRecognition(Tensor CategoryLogits, Tensor ContinuousMean, Tensor ContinuousLogStd)
{
    /// <summary>The logits of categorical code <paramref name="code"/> [N, K], given the class counts of all codes.</summary>
    public Tensor LogitsOf(IReadOnlyList<int> categoryCounts, int code)
    {
        ArgumentNullException.ThrowIfNull(categoryCounts);
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(code, categoryCounts.Count);
        var start = categoryCounts.Take(code).Sum();
        return CategoryLogits.narrow(1, start, categoryCounts[code]);
    }
}
