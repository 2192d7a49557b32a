using System.Globalization;
using MLNetFlows.Models.Runtime;
using TorchSharp;

namespace MLNetFlows.Trainers;

/// <summary>
/// Polyak averaging of parameters by an exponential moving average, as openai/glow evaluates and saves its models and as
/// torch.optim.swa_utils.get_ema_multi_avg_fn computes it: after every optimizer step, a ← d·a + (1 − d)·θ. The first
/// update copies θ; later ones use d = min(decay, (1 + n) / (10 + n)) for the n-th update, so a short run is not
/// dominated by its early weights. The averages live beside the parameters (same device, dtype and strides), are saved
/// in checkpoints with <see cref="ExportState"/> and are put into the parameters for evaluation with <see cref="Swap"/>.
/// </summary>
public sealed class ExponentialMovingAverage : IDisposable
{
    private const string UpdatesKey = "updates";
    private const string DecayKey = "decay";
    private readonly torch.Tensor[] _parameters;
    private readonly torch.Tensor[] _averages;

    /// <summary>Averages <paramref name="parameters"/> with the given <paramref name="decay"/> in (0, 1).</summary>
    public ExponentialMovingAverage(IEnumerable<torch.Tensor> parameters, double decay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(decay is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "the averaging decay must be in (0, 1)");
        }

        _parameters = parameters.ToArray();
        Decay = decay;
        using (torch.no_grad())
        {
            _averages = _parameters.Select(p => p.clone().DetachFromDisposeScope()).ToArray();
        }
    }

    /// <summary>The largest decay d (the weight of the previous average).</summary>
    public double Decay { get; }

    /// <summary>Number of updates so far (0: the averages are not yet meaningful).</summary>
    public long Updates { get; private set; }

    /// <summary>The decay the next update uses.</summary>
    public double NextDecay => Updates == 0 ? 0 : Math.Min(Decay, (1.0 + Updates) / (10.0 + Updates));

    /// <summary>Folds the current parameters into the averages (call after each optimizer step).</summary>
    public void Update()
    {
        var decay = NextDecay;
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (decay == 0)
            {
                _averages[i].copy_(_parameters[i]);
            }
            else
            {
                _averages[i].lerp_(_parameters[i], Scalars.Varying(1 - decay, _averages[i]));
            }
        }

        Updates++;
    }

    /// <summary>
    /// Exchanges the parameters' values with the averages: after one call the parameters hold the averages (to evaluate
    /// or save the averaged model), a second call restores them. Throws before the first <see cref="Update"/>.
    /// </summary>
    public void Swap()
    {
        if (Updates == 0)
        {
            throw new InvalidOperationException("the moving average has no updates yet; call Update after an optimizer step first");
        }

        using var noGrad = torch.no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            using var held = _parameters[i].clone();
            _parameters[i].copy_(_averages[i]);
            _averages[i].copy_(held);
        }
    }

    /// <summary>
    /// Runs <paramref name="evaluate"/> with the averaged weights in the parameters and restores the trained ones after
    /// (also when it throws); before the first <see cref="Update"/> it runs on the parameters as they are.
    /// </summary>
    public T Applied<T>(Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        if (Updates == 0)
        {
            return evaluate();
        }

        Swap();
        try
        {
            return evaluate();
        }
        finally
        {
            Swap();
        }
    }

    /// <summary><see cref="Applied{T}(Func{T})"/> for an evaluation that returns nothing (it reads the model or writes elsewhere).</summary>
    public void Applied(Action evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        Applied(() =>
        {
            evaluate();
            return true;
        });
    }

    /// <summary>The averages (new tensors; dispose the result) as "param.{index}", and the update count and decay as metadata.</summary>
    public CheckpointState ExportState()
    {
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < _averages.Length; i++)
        {
            tensors[Name(i)] = _averages[i].detach().DetachFromDisposeScope();
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [UpdatesKey] = Updates.ToString(CultureInfo.InvariantCulture),
            [DecayKey] = Decay.ToString("R", CultureInfo.InvariantCulture),
        };
        return new CheckpointState(tensors, metadata);
    }

    /// <summary>
    /// Restores state written by <see cref="ExportState"/> over parameters of the same shapes and the same decay. Everything
    /// is checked before anything changes.
    /// </summary>
    public void ImportState(IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(DecayKey, out var decay) || decay != Decay.ToString("R", CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"the moving average was saved with decay {decay ?? "(none)"}, expected {Decay.ToString("R", CultureInfo.InvariantCulture)}");
        }

        if (!metadata.TryGetValue(UpdatesKey, out var updates) || !long.TryParse(updates, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new InvalidDataException($"the moving average state has no valid '{UpdatesKey}' count (got '{updates ?? "(none)"}')");
        }

        for (var i = 0; i < _averages.Length; i++)
        {
            if (!tensors.TryGetValue(Name(i), out var tensor))
            {
                throw new InvalidDataException($"the moving average state is missing '{Name(i)}'");
            }

            StateTensors.RequireLike(tensor, _averages[i], $"the moving average '{Name(i)}'");
        }

        using var noGrad = torch.no_grad();
        for (var i = 0; i < _averages.Length; i++)
        {
            _averages[i].copy_(tensors[Name(i)]);
        }

        Updates = count;
    }

    /// <summary>Frees the averages.</summary>
    public void Dispose()
    {
        foreach (var average in _averages)
        {
            average.Dispose();
        }
    }

    private static string Name(int index) => string.Create(CultureInfo.InvariantCulture, $"param.{index}");
}
