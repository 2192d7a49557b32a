using TorchSharp;

namespace MLNetFlows.Models.Serialization;

/// <summary>The tensors (on the CPU, owned by this object) and string metadata of a safetensors file.</summary>
internal sealed class SafetensorsContent : IDisposable
{
    /// <summary>Initializes a new instance that owns <paramref name="tensors"/>.</summary>
    /// <param name="tensors">The tensors by name.</param>
    /// <param name="metadata">The "__metadata__" entries.</param>
    public SafetensorsContent(IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Gets the tensors by name.</summary>
    public IReadOnlyDictionary<string, torch.Tensor> Tensors { get; }

    /// <summary>Gets the "__metadata__" entries (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
