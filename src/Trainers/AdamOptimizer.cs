using System.Globalization;
using MLNetFlows.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;

namespace MLNetFlows.Trainers;

/// <summary>
/// Adam and Adamax (Kingma and Ba 2015) as torch.optim computes them, operation for operation:
/// Adam m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − lr/(1 − β₁ᵗ)·m/(√v/√(1 − β₂ᵗ) + ε); Adamax
/// m ← β₁m + (1 − β₁)g, u ← max(β₂u, |g| + ε), θ ← θ − lr/(1 − β₁ᵗ)·m/u; with weight decay λ, g ← g + λθ first.
/// Also the optimizer state as it goes into a checkpoint: metadata "optimizer" (kind), "lr" and "param.{i}.step", tensors
/// "param.{i}.exp_avg" and "param.{i}.exp_inf" (Adamax) or "param.{i}.exp_avg_sq" (Adam), i in the order of the parameters.
/// </summary>
/// <remarks>
/// The library's own rather than TorchSharp's <c>torch.optim.Adam</c>/<c>Adamax</c>: TorchSharp 0.107's <c>step</c> passes
/// libtorch temporary <see cref="Scalar"/>s (β₁, 1 − β₁, ε, the step size) that nothing keeps alive during the native call,
/// so a garbage collection started meanwhile by any thread can free one mid-call (seen as a training that turns to NaN
/// under collections forced from another thread). Here the constants come from <see cref="Scalars"/> and the per-step
/// corrections are 0-dimensional tensors of the step's dispose scope.
/// </remarks>
internal sealed class AdamOptimizer : IDisposable
{
    private const string KindKey = "optimizer";
    private const string LearningRateKey = "lr";

    private readonly Parameter[] _parameters;
    private readonly ParameterState[] _states;
    private readonly double _beta1;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _beta1Complement;
    private readonly double _beta2;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _beta2Complement;
    private readonly Scalar _epsilon;
    private readonly Scalar? _weightDecay;
    private bool _disposed;

    /// <summary>A new optimizer of <paramref name="kind"/> over <paramref name="parameters"/>, its state zero.</summary>
    /// <param name="kind">Adam or Adamax.</param>
    /// <param name="parameters">The parameters to update, at least one.</param>
    /// <param name="learningRate">The first steps' learning rate (<see cref="LearningRate"/> changes it).</param>
    /// <param name="beta1">The first moment's decay β₁ (PyTorch's default 0.9).</param>
    /// <param name="beta2">The second moment's (Adam) or the infinity norm's (Adamax) decay β₂ (PyTorch's default 0.999).</param>
    /// <param name="weightDecay">L2 weight decay λ added to the gradient (0: none).</param>
    public AdamOptimizer(OptimizerKind kind, IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (kind is not (OptimizerKind.Adam or OptimizerKind.Adamax))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected Adamax or Adam");
        }

        _parameters = [.. parameters];
        if (_parameters.Length == 0)
        {
            throw new ArgumentException("expected at least one parameter to optimize, got none", nameof(parameters));
        }

        Kind = kind;
        LearningRate = learningRate;
        (_beta1, _beta2) = (beta1, beta2);
        _beta1Scalar = Scalars.Of(beta1);
        _beta1Complement = Scalars.Of(1 - beta1);
        _beta2Scalar = Scalars.Of(beta2);
        _beta2Complement = Scalars.Of(1 - beta2);
        _epsilon = Scalars.Of(1e-8);
        _weightDecay = weightDecay == 0 ? null : Scalars.Of(weightDecay);
        _states = [.. _parameters.Select(p => new ParameterState(p))];
    }

    /// <summary>Adam or Adamax.</summary>
    public OptimizerKind Kind { get; }

    /// <summary>The learning rate of the next steps.</summary>
    public double LearningRate { get; set; }

    /// <summary>Sets every parameter's gradient to zero (a parameter without one keeps none).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var corrections = new Dictionary<long, (torch.Tensor StepSize, torch.Tensor SecondMoment)>();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }

            var state = _states[i];
            state.Step++;
            if (!corrections.TryGetValue(state.Step, out var correction))
            {
                correction = (Scalars.Varying(-LearningRate / (1 - Math.Pow(_beta1, state.Step)), parameter),
                    Scalars.Varying(Math.Sqrt(1 - Math.Pow(_beta2, state.Step)), parameter));
                corrections[state.Step] = correction;
            }

            if (_weightDecay is not null)
            {
                grad = grad.add(parameter, _weightDecay);
            }

            state.Average.mul_(_beta1Scalar).add_(grad, _beta1Complement);
            var denominator = Kind == OptimizerKind.Adam
                ? AdamDenominator(state.Scale, grad, correction.SecondMoment)
                : AdamaxDenominator(state.Scale, grad);

            // θ ← θ + (−lr/(1 − β₁ᵗ))·m/d, rounded as libtorch's addcdiv_ rounds it: the product, the quotient, the sum.
            parameter.add_(state.Average.mul(correction.StepSize).div_(denominator), Scalars.One);
        }
    }

    /// <summary>v ← β₂v + (1 − β₂)g², then √v/√(1 − β₂ᵗ) + ε.</summary>
    private torch.Tensor AdamDenominator(torch.Tensor secondMoment, torch.Tensor grad, torch.Tensor correction)
    {
        secondMoment.mul_(_beta2Scalar).addcmul_(grad, grad, _beta2Complement);
        return secondMoment.sqrt().div_(correction).add_(_epsilon, Scalars.One);
    }

    /// <summary>u ← max(β₂u, |g| + ε), which is the denominator itself.</summary>
    private torch.Tensor AdamaxDenominator(torch.Tensor infinityNorm, torch.Tensor grad)
    {
        infinityNorm.copy_(torch.maximum(infinityNorm.mul_(_beta2Scalar), grad.abs().add_(_epsilon, Scalars.One)));
        return infinityNorm;
    }

    /// <summary>The optimizer's state (new tensor handles; dispose the result).</summary>
    public CheckpointState ExportState()
    {
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KindKey] = KindName,
            [LearningRateKey] = LearningRate.ToString("R", CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < _states.Length; i++)
        {
            metadata[StateName(i, "step")] = _states[i].Step.ToString(CultureInfo.InvariantCulture);
            tensors[StateName(i, "exp_avg")] = _states[i].Average.alias().DetachFromDisposeScope();
            tensors[StateName(i, ScaleName)] = _states[i].Scale.alias().DetachFromDisposeScope();
        }

        return new CheckpointState(tensors, metadata);
    }

    /// <summary>
    /// Restores state exported by an optimizer of the same kind over parameters of the same shapes. Everything is
    /// checked before anything changes; a mismatch throws an <see cref="InvalidDataException"/> naming it.
    /// </summary>
    public void ImportState(IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(KindKey, out var savedKind) || savedKind != KindName)
        {
            throw new InvalidDataException($"the state is of optimizer '{savedKind ?? "(none)"}', expected '{KindName}'");
        }

        if (!metadata.TryGetValue(LearningRateKey, out var rateText)
            || !double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var learningRate))
        {
            throw new InvalidDataException($"the optimizer state has no valid '{LearningRateKey}' (got '{rateText ?? "(none)"}')");
        }

        var steps = new long[_states.Length];
        for (var i = 0; i < _states.Length; i++)
        {
            var key = StateName(i, "step");
            if (!metadata.TryGetValue(key, out var stepText) || !long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out steps[i]))
            {
                throw new InvalidDataException($"optimizer state is missing a valid '{key}' (got '{stepText ?? "(none)"}')");
            }

            foreach (var (name, live) in Fields(i))
            {
                if (!tensors.TryGetValue(name, out var saved))
                {
                    throw new InvalidDataException($"optimizer state is missing '{name}'");
                }

                StateTensors.RequireLike(saved, live, $"optimizer state '{name}'");
            }
        }

        using (torch.no_grad())
        {
            for (var i = 0; i < _states.Length; i++)
            {
                foreach (var (name, live) in Fields(i))
                {
                    live.copy_(tensors[name]);
                }

                _states[i].Step = steps[i];
            }
        }

        LearningRate = learningRate;
    }

    /// <summary>Frees the optimizer's state tensors (the parameters stay the caller's).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var state in _states)
        {
            state.Dispose();
        }
    }

    private string KindName => Kind == OptimizerKind.Adam ? "adam" : "adamax";

    private string ScaleName => Kind == OptimizerKind.Adam ? "exp_avg_sq" : "exp_inf";

    private (string Name, torch.Tensor Tensor)[] Fields(int index) =>
        [(StateName(index, "exp_avg"), _states[index].Average), (StateName(index, ScaleName), _states[index].Scale)];

    private static string StateName(int index, string field) => string.Create(CultureInfo.InvariantCulture, $"param.{index}.{field}");

    /// <summary>One parameter's step count, first moment m and second moment v (Adam) or infinity norm u (Adamax).</summary>
    private sealed class ParameterState(Parameter parameter) : IDisposable
    {
        public long Step { get; set; }

        public torch.Tensor Average { get; } = torch.zeros_like(parameter).DetachFromDisposeScope();

        public torch.Tensor Scale { get; } = torch.zeros_like(parameter).DetachFromDisposeScope();

        public void Dispose()
        {
            Average.Dispose();
            Scale.Dispose();
        }
    }
}
