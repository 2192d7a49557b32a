using static TorchSharp.torch;

namespace MLNetFlows.Onnx.Graph;

/// <summary>
/// A TorchSharp module's state dict copied to managed float64 arrays by name (parameters and buffers), so that the
/// exporters compute every fold in float64 and round once to float32. Lookups check the element count and name the
/// missing or mismatched entry.
/// </summary>
internal sealed class StateWeights
{
    private readonly string _model;
    private readonly Dictionary<string, (double[] Values, long[] Shape)> _tensors;

    private StateWeights(string model, Dictionary<string, (double[] Values, long[] Shape)> tensors)
    {
        _model = model;
        _tensors = tensors;
    }

    /// <summary>Copies the state dict of <paramref name="module"/>; <paramref name="model"/> names it in messages.</summary>
    public static StateWeights Read(nn.Module module, string model)
    {
        ArgumentNullException.ThrowIfNull(module);
        var tensors = new Dictionary<string, (double[], long[])>(StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        foreach (var (name, tensor) in module.state_dict())
        {
            if (!tensor.is_floating_point())
            {
                continue; // e.g. BatchNorm's num_batches_tracked: not used at inference
            }

            var host = tensor.detach().to(ScalarType.Float64).cpu().contiguous();
            tensors[name] = (host.data<double>().ToArray(), host.shape);
        }

        return new StateWeights(model, tensors);
    }

    /// <summary>The values of state entry <paramref name="name"/>, checked against <paramref name="count"/> elements.</summary>
    public double[] Get(string name, long count)
    {
        if (!_tensors.TryGetValue(name, out var entry))
        {
            throw new InvalidDataException($"the {_model} state has no entry '{name}': the model does not match its architecture, so it cannot be exported");
        }

        return entry.Values.LongLength == count
            ? entry.Values
            : throw new InvalidDataException($"the {_model} state entry '{name}' has {entry.Values.LongLength} values, expected {count}");
    }

    /// <summary>The C×C matrix stored (row-major) under <paramref name="name"/>.</summary>
    public double[,] Matrix(string name, long channels)
    {
        var values = Get(name, channels * channels);
        var c = (int)channels;
        var matrix = new double[c, c];
        for (var i = 0; i < c; i++)
        {
            for (var j = 0; j < c; j++)
            {
                matrix[i, j] = values[(i * c) + j];
            }
        }

        return matrix;
    }
}
