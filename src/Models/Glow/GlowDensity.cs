using static TorchSharp.torch;

namespace MLNetFlows.Models.Glow;

/// <summary>The result of <see cref="GlowModel.Evaluate"/>; the caller disposes the tensors (or lets a dispose scope do it).</summary>
/// <param name="LogDensity">log p(x̃) per sample, in nats [N].</param>
/// <param name="PerLevel">Each level's contribution to log p(x̃) [N, L] (Σ log|det| of its steps + log-prior of its latent).</param>
/// <param name="LogDet">log|det ∂z/∂x̃| per sample [N], the change-of-volume part of <paramref name="LogDensity"/>.</param>
/// <param name="Latents">The latent of each level when requested, else null.</param>
public sealed record GlowDensity(Tensor LogDensity, Tensor PerLevel, Tensor LogDet, Tensor[]? Latents);
