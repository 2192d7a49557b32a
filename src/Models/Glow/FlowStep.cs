using MLNetFlows.Models.Flows;
using TorchSharp.Utils;
using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Glow;

/// <summary>
/// One step of flow (Kingma and Dhariwal 2018, Figure 2a): ActNorm → invertible 1×1 conv → coupling. State names:
/// <c>actnorm.*</c>, <c>invconv.*</c>, <c>coupling.*</c>.
/// </summary>
public sealed class FlowStep : InvertibleBlock
{
    private readonly InvertibleBlock[] _blocks;

    [ComponentName(Name = "actnorm")]
    private ActNorm _actNorm;

    [ComponentName(Name = "invconv")]
    private InvertibleConv1x1 _convolution;

    [ComponentName(Name = "coupling")]
    private AffineCoupling _coupling;

    /// <summary>Creates the step for inputs of per-sample shape [C, H, W].</summary>
    public FlowStep(long channels, long height, long width, long hiddenChannels, CouplingKind coupling, ConvolutionParameterization permutation, double? softClamp, long conditionChannels = 0)
        : base(nameof(FlowStep), [channels, height, width], [channels, height, width], conditionChannels > 0 ? [conditionChannels, height, width] : null)
    {
        _actNorm = new ActNorm(channels, height, width);
        _convolution = new InvertibleConv1x1(channels, height, width, permutation);
        _coupling = new AffineCoupling(channels, height, width, hiddenChannels, coupling, softClamp, conditionChannels);
        register_module("actnorm", _actNorm);
        register_module("invconv", _convolution);
        register_module("coupling", _coupling);
        _blocks = [_actNorm, _convolution, _coupling];
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition)
    {
        if (!FlowExecution.FoldNormalizations || (_actNorm.training && !_actNorm.IsInitialized))
        {
            return Chain(x, condition, inverse: false); // the data-dependent initialisation needs ActNorm on its own
        }

        // ActNorm then the 1×1 conv as one convolution: W·((x + b)⊙eˢ) = (W·diag(eˢ))·x + W·(b⊙eˢ).
        using var scope = NewDisposeScope();
        var (mixed, logDet) = _convolution.ForwardAfterActNorm(x, _actNorm);
        var (y, couplingLogDet) = _coupling.Forward(mixed, condition);
        return (y.MoveToOuterDisposeScope(), logDet.add(couplingLogDet, One).MoveToOuterDisposeScope());
    }

    /// <summary>The block-by-block forward (ActNorm, then 1×1 conv, then coupling), which the fused path must equal.</summary>
    internal (Tensor Output, Tensor LogDet) ForwardUnfused(Tensor x, Tensor? condition) => Chain(x, condition, inverse: false);

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition) => Chain(y, condition, inverse: true);

    private (Tensor Output, Tensor LogDet) Chain(Tensor input, Tensor? condition, bool inverse)
    {
        using var scope = NewDisposeScope();
        var h = input;
        var logDet = ZeroLogDet(input);
        foreach (var block in inverse ? Enumerable.Reverse(_blocks) : _blocks)
        {
            var blockCondition = block.ConditionShape is null ? null : condition;
            var (next, blockLogDet) = inverse ? block.Inverse(h, blockCondition) : block.Forward(h, blockCondition);
            h = next;
            logDet = logDet.add(blockLogDet, One);
        }

        return (h.MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }
}
