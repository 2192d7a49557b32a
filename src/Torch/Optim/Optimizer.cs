using System.Globalization;
using MLNetFlows.Torch.Serialization;

namespace MLNetFlows.Torch.Optim;

/// <summary>
/// Updates parameters from their gradients. The state (moments, step counts, learning rate) can be saved to and
/// loaded from a safetensors file so training resumes exactly where it stopped.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private const string KindKey = "optimizer";
    private const string LearningRateKey = "lr";

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    protected Optimizer(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("expected at least one parameter to optimize, got none", nameof(parameters));
        }

        Parameters = parameters;
    }

    /// <summary>The parameters, in the order they were given.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate used by the next <see cref="Step"/>; set it for schedules such as warm-up.</summary>
    public abstract double LearningRate { get; set; }

    /// <summary>A short name written into saved state, checked on load.</summary>
    protected abstract string Kind { get; }

    /// <summary>Applies one update from the current gradients.</summary>
    public abstract void Step();

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public virtual void ZeroGrad()
    {
        foreach (var parameter in Parameters)
        {
            using var grad = parameter.Grad;
            grad?.Zero_();
        }
    }

    /// <summary>
    /// The optimizer state: per-parameter tensors (new handles; dispose the result) and metadata (kind, learning rate,
    /// step counts), ready to be stored in a checkpoint.
    /// </summary>
    public OptimizerState ExportState()
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KindKey] = Kind,
            [LearningRateKey] = LearningRate.ToString("R", CultureInfo.InvariantCulture),
        };
        try
        {
            CollectState(tensors, metadata);
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }

            throw;
        }

        return new OptimizerState(tensors, metadata);
    }

    /// <summary>Restores state exported by an optimizer of the same kind over parameters of the same shapes.</summary>
    public void ImportState(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(KindKey, out var kind) || kind != Kind)
        {
            throw new InvalidDataException($"the state is of optimizer '{kind ?? "(none)"}', expected '{Kind}'");
        }

        RestoreState(tensors, metadata);
        LearningRate = double.Parse(metadata[LearningRateKey], CultureInfo.InvariantCulture);
    }

    /// <summary>Saves the optimizer state (atomically) as safetensors.</summary>
    public void SaveState(string path)
    {
        using var state = ExportState();
        SafeTensors.Save(path, state.Tensors, state.Metadata);
    }

    /// <summary>Loads state written by <see cref="SaveState"/> for an optimizer of the same kind and parameters.</summary>
    public void LoadState(string path)
    {
        using var content = SafeTensors.Load(path);
        try
        {
            ImportState(content.Tensors, content.Metadata);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>Frees native resources.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Adds the per-parameter state tensors (new handles, disposed by the caller) and metadata.</summary>
    protected abstract void CollectState(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata);

    /// <summary>Restores state read from a file, validating names and shapes.</summary>
    protected abstract void RestoreState(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata);

    /// <summary>Frees resources; override to release more, calling the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The state tensor named <paramref name="name"/>, checked to have the shape of parameter <paramref name="index"/>.</summary>
    protected Tensor RequireState(IReadOnlyDictionary<string, Tensor> tensors, string name, int index)
    {
        if (!tensors.TryGetValue(name, out var tensor))
        {
            throw new InvalidDataException($"optimizer state is missing '{name}'");
        }

        if (!tensor.Shape.SequenceEqual(Parameters[index].Shape))
        {
            throw new InvalidDataException($"optimizer state '{name}' has shape [{string.Join(", ", tensor.Shape.ToArray())}], expected [{string.Join(", ", Parameters[index].Shape.ToArray())}]");
        }

        return tensor;
    }

    /// <summary>State key of parameter <paramref name="index"/>.</summary>
    protected static string StateName(int index, string field) => string.Create(CultureInfo.InvariantCulture, $"param.{index}.{field}");
}

/// <summary>An optimizer's exported state; disposing it disposes the tensors.</summary>
/// <param name="Tensors">Per-parameter state tensors by name ("param.{index}.{field}").</param>
/// <param name="Metadata">Kind, learning rate and step counts as strings.</param>
public sealed record OptimizerState(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) : IDisposable
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
