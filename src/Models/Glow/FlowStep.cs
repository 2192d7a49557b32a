using MLNetFlows.Models.Flows;
using MLNetFlows.Torch;

namespace MLNetFlows.Models.Glow;

/// <summary>One step of flow (Kingma and Dhariwal 2018, Figure 2a): ActNorm → invertible 1×1 conv → coupling.</summary>
public sealed class FlowStep : InvertibleBlock
{
    private readonly InvertibleBlock[] _blocks;
    private readonly ActNorm _actNorm;
    private readonly InvertibleConv1x1 _convolution;
    private readonly AffineCoupling _coupling;

    /// <summary>Creates the step for inputs of per-sample shape [C, H, W].</summary>
    public FlowStep(long channels, long height, long width, long hiddenChannels, CouplingKind coupling, ConvolutionParameterization permutation, double? softClamp, long conditionChannels = 0)
        : base([channels, height, width], [channels, height, width], conditionChannels > 0 ? [conditionChannels, height, width] : null)
    {
        _actNorm = RegisterModule("actnorm", new ActNorm(channels, height, width));
        _convolution = RegisterModule("invconv", new InvertibleConv1x1(channels, height, width, permutation));
        _coupling = RegisterModule("coupling", new AffineCoupling(channels, height, width, hiddenChannels, coupling, softClamp, conditionChannels));
        _blocks = [_actNorm, _convolution, _coupling];
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition)
    {
        if (_actNorm.IsTraining && !_actNorm.IsInitialized)
        {
            return Chain(x, condition, inverse: false); // the data-dependent initialisation needs ActNorm on its own
        }

        // ActNorm then the 1×1 conv as one convolution: W·((x + b)⊙eˢ) = (W·diag(eˢ))·x + W·(b⊙eˢ).
        using var scope = DisposeScope.Enter();
        var (mixed, logDet) = _convolution.ForwardAfterActNorm(x, _actNorm);
        var (y, couplingLogDet) = _coupling.Forward(mixed, condition);
        return (scope.MoveToOuter(y), scope.MoveToOuter(logDet + couplingLogDet));
    }

    /// <summary>The block-by-block forward (ActNorm, then 1×1 conv, then coupling), which the fused path must equal.</summary>
    internal (Tensor Output, Tensor LogDet) ForwardUnfused(Tensor x, Tensor? condition) => Chain(x, condition, inverse: false);

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition) => Chain(y, condition, inverse: true);

    private (Tensor Output, Tensor LogDet) Chain(Tensor input, Tensor? condition, bool inverse)
    {
        using var scope = DisposeScope.Enter();
        var h = input;
        var logDet = ZeroLogDet(input);
        foreach (var block in inverse ? Enumerable.Reverse(_blocks) : _blocks)
        {
            var blockCondition = block.ConditionShape is null ? null : condition;
            var (next, blockLogDet) = inverse ? block.Inverse(h, blockCondition) : block.Forward(h, blockCondition);
            h = next;
            logDet = logDet + blockLogDet;
        }

        return (scope.MoveToOuter(h), scope.MoveToOuter(logDet));
    }
}
