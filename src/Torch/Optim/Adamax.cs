using System.Globalization;

namespace MLNetFlows.Torch.Optim;

/// <summary>
/// Adamax (Kingma and Ba 2015, §7.1), the optimizer openai/glow trains with; written over tensor ops because libtorch's
/// C++ API lacks it. Matches torch.optim.Adamax: m ← β₁m + (1−β₁)g; u ← max(β₂u, |g| + ε);
/// θ ← θ − (lr / (1 − β₁ᵗ))·m / u.
/// </summary>
public sealed class Adamax : Optimizer
{
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _eps;
    private readonly double _weightDecay;
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expInf;
    private long _step;

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    public Adamax(IReadOnlyList<Tensor> parameters, double learningRate = 2e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters)
    {
        LearningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        _weightDecay = weightDecay;
        using (Autograd.NoGrad())
        {
            _expAvg = parameters.Select(p => p.ZerosLike().DetachFromScope()).ToArray();
            _expInf = parameters.Select(p => p.ZerosLike().DetachFromScope()).ToArray();
        }
    }

    /// <inheritdoc />
    public override double LearningRate { get; set; }

    /// <summary>Number of steps taken.</summary>
    public long StepCount => _step;

    /// <inheritdoc />
    protected override string Kind => "adamax";

    /// <inheritdoc />
    public override void Step()
    {
        _step++;
        var stepSize = LearningRate / (1 - Math.Pow(_beta1, _step));
        using var scope = DisposeScope.Enter();
        using var noGrad = Autograd.NoGrad();
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            var grad = parameter.Grad;
            if (grad is null)
            {
                continue;
            }

            if (_weightDecay != 0)
            {
                grad = grad.Add(parameter, _weightDecay);
            }

            _expAvg[i].Mul_(_beta1).Add_(grad, 1 - _beta1);
            _expInf[i].Copy_((_expInf[i] * _beta2).Maximum(grad.Abs() + _eps));
            parameter.Addcdiv_(_expAvg[i], _expInf[i], -stepSize);
        }
    }

    /// <inheritdoc />
    protected override void CollectState(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        metadata["step"] = _step.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < Parameters.Count; i++)
        {
            tensors[StateName(i, "exp_avg")] = _expAvg[i].Alias().DetachFromScope();
            tensors[StateName(i, "exp_inf")] = _expInf[i].Alias().DetachFromScope();
        }
    }

    /// <inheritdoc />
    protected override void RestoreState(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue("step", out var stepText))
        {
            throw new InvalidDataException("Adamax state is missing its step count");
        }

        for (var i = 0; i < Parameters.Count; i++)
        {
            var expAvg = RequireState(tensors, StateName(i, "exp_avg"), i);
            var expInf = RequireState(tensors, StateName(i, "exp_inf"), i);
            _expAvg[i].Copy_(expAvg);
            _expInf[i].Copy_(expInf);
        }

        _step = long.Parse(stepText, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var tensor in _expAvg.Concat(_expInf))
            {
                tensor.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
