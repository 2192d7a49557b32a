using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// A 3×3 convolution whose weight, bias and per-channel log-scale start at zero, so it outputs zeros at
/// initialisation (openai/glow's conv2d_zeros): y = (W∗x + b)·exp(3·s). Ending a coupling network with it makes every
/// coupling start as the identity; ending a prior network with it makes every prior start as N(0, I).
/// </summary>
public sealed class ZeroConv2d : Module<Tensor, Tensor>
{
    private const double LogScaleFactor = 3;

    /// <summary>Creates the layer.</summary>
    public ZeroConv2d(long inChannels, long outChannels)
    {
        Weight = RegisterParameter("weight", Tensor.Zeros([outChannels, inChannels, 3, 3]));
        Bias = RegisterParameter("bias", Tensor.Zeros([outChannels]));
        LogScale = RegisterParameter("logs", Tensor.Zeros([1, outChannels, 1, 1]));
    }

    /// <summary>Weight [out, in, 3, 3].</summary>
    public Tensor Weight { get; }

    /// <summary>Bias [out].</summary>
    public Tensor Bias { get; }

    /// <summary>Per-channel log-scale [1, out, 1, 1], multiplied by 3 before use.</summary>
    public Tensor LogScale { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        // (W∗x + b)·e^(3s) computed as (W·e^(3s))∗x + b·e^(3s): the scale touches the small weight, not the activations.
        using var scope = DisposeScope.Enter();
        var (weight, bias) = Folded();
        return scope.MoveToOuter(Functional.Conv2d(input, weight, bias, padding: 1));
    }

    /// <summary>The weight and bias of the plain 3×3 convolution this layer equals: (W·e^(3s), b·e^(3s)).</summary>
    internal (Tensor Weight, Tensor Bias) Folded()
    {
        using var scope = DisposeScope.Enter();
        var scale = (LogScale * LogScaleFactor).Exp().Flatten();
        return (scope.MoveToOuter(Weight * scale.View(-1, 1, 1, 1)), scope.MoveToOuter(Bias * scale));
    }
}
