using TorchSharp;

namespace MLNetFlows.Trainers;

/// <summary>
/// The saved form of one stateful part of training (an optimizer, a moving average): named tensors and string
/// metadata, ready to be written into a checkpoint. Disposing it disposes the tensors.
/// </summary>
/// <param name="Tensors">State tensors by name, e.g. "param.{index}.exp_avg".</param>
/// <param name="Metadata">Kinds, counts and hyper-parameters as invariant-culture strings.</param>
public sealed record CheckpointState(IReadOnlyDictionary<string, torch.Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) : IDisposable
{
    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
