using static TorchSharp.torch;

namespace MLNetFlows.Models.InfoGan;

/// <summary>
/// The codes of a batch: one class index per categorical code [N, number of codes] (Int64) and the continuous codes
/// [N, M] (Float32). The tensors belong to the caller's dispose scope.
/// </summary>
/// <param name="Categories">Class index of each categorical code, in 0 … Kᵢ − 1.</param>
/// <param name="Continuous">Continuous code values (the prior draws them uniformly in [−1, 1]).</param>
public sealed record InfoGanCodes(Tensor Categories, Tensor Continuous);
