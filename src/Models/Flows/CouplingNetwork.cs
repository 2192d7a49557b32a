using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// The subnetwork of a coupling block (openai/glow's <c>f</c>): 3×3 conv → ActNorm → ReLU → 1×1 conv → ActNorm → ReLU →
/// zero-initialised 3×3 conv. The hidden convolutions have no bias (ActNorm provides it) and start as N(0, 0.05²).
/// Every ActNorm and scale is folded into its convolution and the ReLUs run in place (see
/// <see cref="FlowExecution"/>); CPU float32 activations are channels-last. State names: <c>conv1.weight</c>,
/// <c>norm1.*</c>, <c>conv2.weight</c>, <c>norm2.*</c>, <c>conv3.*</c>.
/// </summary>
public sealed class CouplingNetwork : nn.Module<Tensor, Tensor>
{
    private const double InitialStandardDeviation = 0.05;

    [ComponentName(Name = "conv1")]
    private Conv2d _first;

    [ComponentName(Name = "norm1")]
    private ActNorm _firstNorm;

    [ComponentName(Name = "conv2")]
    private Conv2d _second;

    [ComponentName(Name = "norm2")]
    private ActNorm _secondNorm;

    [ComponentName(Name = "conv3")]
    private ZeroConv2d _last;

    /// <summary>Creates the network for inputs [N, <paramref name="inChannels"/>, H, W].</summary>
    public CouplingNetwork(long inChannels, long hiddenChannels, long outChannels, long height, long width)
        : base(nameof(CouplingNetwork))
    {
        Runtime.TorchRuntime.EnsureInitialized();
        _first = nn.Conv2d(inChannels, hiddenChannels, 3, padding: 1, bias: false);
        _firstNorm = new ActNorm(hiddenChannels, height, width);
        _second = nn.Conv2d(hiddenChannels, hiddenChannels, 1, bias: false);
        _secondNorm = new ActNorm(hiddenChannels, height, width);
        _last = new ZeroConv2d(hiddenChannels, outChannels);
        using (no_grad())
        {
            _first.weight!.normal_(0, InitialStandardDeviation);
            _second.weight!.normal_(0, InitialStandardDeviation);
        }

        register_module("conv1", _first);
        register_module("norm1", _firstNorm);
        register_module("conv2", _second);
        register_module("norm2", _secondNorm);
        register_module("conv3", _last);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor h;
        if (FlowExecution.FoldNormalizations)
        {
            // In-place ReLU on fresh convolution outputs: one allocation and one pass fewer per layer, autograd-safe
            // because a convolution's backward needs its input and weight, not its output.
            h = _firstNorm.ConvolveThenNormalize(input, _first.weight!, padding: 1).relu_();
            h = _secondNorm.ConvolveThenNormalize(h, _second.weight!, padding: 0).relu_();
        }
        else
        {
            h = _firstNorm.Forward(FlowExecution.Conv2d(input, _first.weight!, null, padding: 1)).Output.relu();
            h = _secondNorm.Forward(FlowExecution.Conv2d(h, _second.weight!, null, padding: 0)).Output.relu();
        }

        return _last.forward(h).MoveToOuterDisposeScope();
    }

    /// <inheritdoc cref="InvertibleBlock.load_state_dict"/>
    public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null) =>
        StateDictLoading.Load(this, source, strict, skip, base.load_state_dict);
}
