using TorchSharp.Utils;
using TorchSharp.Modules;
using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// A 3×3 convolution whose weight, bias and per-channel log-scale start at zero, so it outputs zeros at
/// initialisation (openai/glow's conv2d_zeros): y = (W∗x + b)·exp(3·s). Ending a coupling network with it makes every
/// coupling start as the identity; ending a prior network with it makes every prior start as N(0, I).
/// State names: <c>weight</c>, <c>bias</c>, <c>logs</c>.
/// </summary>
public sealed class ZeroConv2d : nn.Module<Tensor, Tensor>
{
    private const double LogScaleFactor = 3;

    [ComponentName(Name = "weight")]
    private Parameter _weight;

    [ComponentName(Name = "bias")]
    private Parameter _bias;

    [ComponentName(Name = "logs")]
    private Parameter _logs;

    /// <summary>Creates the layer.</summary>
    public ZeroConv2d(long inChannels, long outChannels)
        : base(nameof(ZeroConv2d))
    {
        Runtime.TorchRuntime.EnsureInitialized();
        _weight = nn.Parameter(zeros(outChannels, inChannels, 3, 3)).Owned();
        _bias = nn.Parameter(zeros(outChannels)).Owned();
        _logs = nn.Parameter(zeros(1, outChannels, 1, 1)).Owned();
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
        register_parameter("logs", _logs);
    }

    /// <summary>Weight [out, in, 3, 3].</summary>
    public Parameter Weight => _weight;

    /// <summary>Bias [out].</summary>
    public Parameter Bias => _bias;

    /// <summary>Per-channel log-scale [1, out, 1, 1], multiplied by 3 before use.</summary>
    public Parameter LogScale => _logs;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        if (!FlowExecution.FoldNormalizations)
        {
            var unscaled = FlowExecution.Conv2d(input, _weight, _bias, padding: 1);
            return unscaled.mul(_logs.mul(Of(LogScaleFactor)).exp()).MoveToOuterDisposeScope();
        }

        // (W∗x + b)·e^(3s) computed as (W·e^(3s))∗x + b·e^(3s): the scale touches the small weight, not the activations.
        var (weight, bias) = Folded();
        return FlowExecution.Conv2d(input, weight, bias, padding: 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc cref="InvertibleBlock.load_state_dict"/>
    public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null) =>
        StateDictLoading.Load(this, source, strict, skip, base.load_state_dict);

    /// <summary>The weight and bias of the plain 3×3 convolution this layer equals: (W·e^(3s), b·e^(3s)).</summary>
    internal (Tensor Weight, Tensor Bias) Folded()
    {
        using var scope = NewDisposeScope();
        var scale = _logs.mul(Of(LogScaleFactor)).exp().flatten();
        return ((_weight * scale.view(-1, 1, 1, 1)).MoveToOuterDisposeScope(), (_bias * scale).MoveToOuterDisposeScope());
    }
}
