using static TorchSharp.torch;

namespace MLNetFlows.Models.Cinn;

/// <summary>What a conditional INN's forward pass gives per sample.</summary>
/// <param name="LogDensity">log p(x̃ | c) in nats, shape [N].</param>
/// <param name="LogDet">Σ log|det| of all blocks, shape [N].</param>
/// <param name="Latent">The latents of all levels flattened and concatenated, [N, C·H·W], when asked for.</param>
public sealed record ConditionalInnDensity(Tensor LogDensity, Tensor LogDet, Tensor? Latent) : IDisposable
{
    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        LogDensity.Dispose();
        LogDet.Dispose();
        Latent?.Dispose();
    }
}
