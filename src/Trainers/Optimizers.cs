using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;

namespace MLNetFlows.Trainers;

/// <summary>
/// The optimizers training uses, TorchSharp's own: <see cref="OptimizerKind.Adamax"/> is torch.optim.Adamax
/// (u ← max(β₂u, |g| + ε), θ ← θ − lr/(1 − β₁ᵗ)·m/u) and <see cref="OptimizerKind.Adam"/> torch.optim.Adam, both with
/// PyTorch's defaults β = (0.9, 0.999), ε = 1e-8. Also the per-step learning rate and the optimizer state as it goes into a
/// checkpoint: metadata "optimizer" (kind), "lr" and "param.{i}.step", tensors "param.{i}.exp_avg" and
/// "param.{i}.exp_inf" (Adamax) or "param.{i}.exp_avg_sq" (Adam), i in the order of the parameters.
/// </summary>
internal static class Optimizers
{
    private const string KindKey = "optimizer";
    private const string LearningRateKey = "lr";

    /// <summary>A new optimizer of <paramref name="kind"/> over <paramref name="parameters"/>.</summary>
    public static OptimizerHelper Create(OptimizerKind kind, IEnumerable<Parameter> parameters, double learningRate)
    {
        var list = parameters.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("expected at least one parameter to optimize, got none", nameof(parameters));
        }

        return kind switch
        {
            OptimizerKind.Adam => torch.optim.Adam(list, learningRate),
            OptimizerKind.Adamax => torch.optim.Adamax(list, learningRate),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected Adamax or Adam"),
        };
    }

    /// <summary>The learning rate of the (first) parameter group.</summary>
    public static double LearningRate(this OptimizerHelper optimizer) => optimizer.ParamGroups.First().LearningRate;

    /// <summary>Sets the learning rate of every parameter group for the next steps.</summary>
    public static void SetLearningRate(this OptimizerHelper optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
    }

    /// <summary>The optimizer's state (new tensor handles; dispose the result).</summary>
    public static CheckpointState ExportState(this OptimizerHelper optimizer)
    {
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KindKey] = KindName(optimizer),
            [LearningRateKey] = optimizer.LearningRate().ToString("R", CultureInfo.InvariantCulture),
        };
        var states = optimizer.state_dict().State;
        for (var i = 0; i < states.Count; i++)
        {
            var (step, fields) = Fields(states[i]);
            metadata[StateName(i, "step")] = step.ToString(CultureInfo.InvariantCulture);
            foreach (var (name, tensor) in fields)
            {
                tensors[StateName(i, name)] = tensor.alias().DetachFromDisposeScope();
            }
        }

        return new CheckpointState(tensors, metadata);
    }

    /// <summary>
    /// Restores state exported by an optimizer of the same kind over parameters of the same shapes. Everything is
    /// checked before anything changes; a mismatch throws an <see cref="InvalidDataException"/> naming it.
    /// </summary>
    public static void ImportState(this OptimizerHelper optimizer, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        var kind = KindName(optimizer);
        if (!metadata.TryGetValue(KindKey, out var savedKind) || savedKind != kind)
        {
            throw new InvalidDataException($"the state is of optimizer '{savedKind ?? "(none)"}', expected '{kind}'");
        }

        if (!metadata.TryGetValue(LearningRateKey, out var rateText)
            || !double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var learningRate))
        {
            throw new InvalidDataException($"the optimizer state has no valid '{LearningRateKey}' (got '{rateText ?? "(none)"}')");
        }

        var states = optimizer.state_dict().State;
        var steps = new long[states.Count];
        for (var i = 0; i < states.Count; i++)
        {
            var key = StateName(i, "step");
            if (!metadata.TryGetValue(key, out var stepText) || !long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out steps[i]))
            {
                throw new InvalidDataException($"optimizer state is missing a valid '{key}' (got '{stepText ?? "(none)"}')");
            }

            foreach (var (name, live) in Fields(states[i]).Tensors)
            {
                var tensorName = StateName(i, name);
                if (!tensors.TryGetValue(tensorName, out var saved))
                {
                    throw new InvalidDataException($"optimizer state is missing '{tensorName}'");
                }

                StateTensors.RequireLike(saved, live, $"optimizer state '{tensorName}'");
            }
        }

        using (torch.no_grad())
        {
            for (var i = 0; i < states.Count; i++)
            {
                foreach (var (name, live) in Fields(states[i]).Tensors)
                {
                    live.copy_(tensors[StateName(i, name)]);
                }

                SetStep(states[i], steps[i]);
            }
        }

        optimizer.SetLearningRate(learningRate);
    }

    private static string KindName(OptimizerHelper optimizer) => optimizer switch
    {
        Adamax => "adamax",
        Adam => "adam",
        _ => throw new NotSupportedException($"no checkpoint support for {optimizer.GetType().Name}; use Adamax or Adam"),
    };

    private static (long Step, (string Name, torch.Tensor Tensor)[] Tensors) Fields(OptimizerState state) => state switch
    {
        Adamax.State s => (s.step, [("exp_avg", s.exp_avg), ("exp_inf", s.exp_inf)]),
        Adam.State { max_exp_avg_sq: null } s => (s.step, [("exp_avg", s.exp_avg), ("exp_avg_sq", s.exp_avg_sq)]),
        Adam.State s => (s.step, [("exp_avg", s.exp_avg), ("exp_avg_sq", s.exp_avg_sq), ("max_exp_avg_sq", s.max_exp_avg_sq)]),
        _ => throw new NotSupportedException($"no checkpoint support for optimizer state {state.GetType().FullName}"),
    };

    private static void SetStep(OptimizerState state, long step)
    {
        switch (state)
        {
            case Adamax.State s:
                s.step = step;
                break;
            case Adam.State s:
                s.step = step;
                break;
            default:
                throw new NotSupportedException($"no checkpoint support for optimizer state {state.GetType().FullName}");
        }
    }

    private static string StateName(int index, string field) => string.Create(CultureInfo.InvariantCulture, $"param.{index}.{field}");
}
