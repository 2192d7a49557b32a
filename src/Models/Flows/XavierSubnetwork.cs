using TorchSharp.Modules;
using static MLNetFlows.Models.Runtime.Scalars;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// The subnetwork of a <see cref="ConditionalGlowCoupling"/> (the conditional INN's convolutional subnet): 3×3 conv →
/// ReLU → 1×1 conv → ReLU → 3×3 conv, with biases. Every weight starts Xavier-uniform (Glorot and Bengio 2010) and every
/// bias at zero; the last layer's weight is then multiplied by <see cref="LastLayerScale"/>, so its outputs (the
/// coupling's log-scales and shifts) start near zero and the coupling near the identity. Convolutions run through
/// <see cref="FlowExecution.Conv2d"/> (channels-last on the CPU: see its remarks on libtorch's NCHW gradients).
/// State names: <c>conv1_weight</c>, <c>conv1_bias</c>, <c>conv2_*</c>, <c>conv3_*</c>.
/// </summary>
public sealed class XavierSubnetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>Factor applied to the last layer's Xavier-initialised weight.</summary>
    public const double LastLayerScale = 0.02;

    [ComponentName(Name = "conv1_weight")]
    private Parameter _firstWeight;

    [ComponentName(Name = "conv1_bias")]
    private Parameter _firstBias;

    [ComponentName(Name = "conv2_weight")]
    private Parameter _secondWeight;

    [ComponentName(Name = "conv2_bias")]
    private Parameter _secondBias;

    [ComponentName(Name = "conv3_weight")]
    private Parameter _lastWeight;

    [ComponentName(Name = "conv3_bias")]
    private Parameter _lastBias;

    /// <summary>Creates the network for inputs [N, <paramref name="inChannels"/>, H, W], drawing from libtorch's generator.</summary>
    public XavierSubnetwork(long inChannels, long hiddenChannels, long outChannels)
        : base(nameof(XavierSubnetwork))
    {
        if (inChannels < 1 || hiddenChannels < 1 || outChannels < 1)
        {
            throw new ArgumentException($"a subnetwork needs positive channel counts, got {inChannels} → {hiddenChannels} → {outChannels}");
        }

        Runtime.TorchRuntime.EnsureInitialized();
        _firstWeight = Xavier(hiddenChannels, inChannels, 3, 1);
        _firstBias = nn.Parameter(zeros(hiddenChannels)).Owned();
        _secondWeight = Xavier(hiddenChannels, hiddenChannels, 1, 1);
        _secondBias = nn.Parameter(zeros(hiddenChannels)).Owned();
        _lastWeight = Xavier(outChannels, hiddenChannels, 3, LastLayerScale);
        _lastBias = nn.Parameter(zeros(outChannels)).Owned();
        register_parameter("conv1_weight", _firstWeight);
        register_parameter("conv1_bias", _firstBias);
        register_parameter("conv2_weight", _secondWeight);
        register_parameter("conv2_bias", _secondBias);
        register_parameter("conv3_weight", _lastWeight);
        register_parameter("conv3_bias", _lastBias);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // In-place ReLU on fresh convolution outputs: a convolution's backward needs its input and weight, not its output.
        var h = FlowExecution.Conv2d(input, _firstWeight, _firstBias, padding: 1).relu_();
        h = FlowExecution.Conv2d(h, _secondWeight, _secondBias, padding: 0).relu_();
        return FlowExecution.Conv2d(h, _lastWeight, _lastBias, padding: 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The first convolution's response to the condition channels alone: conv(<paramref name="condition"/>, W₁[:, seen:])
    /// without bias, for inputs that are [seen channels (<paramref name="seenChannels"/>), condition channels]. When the
    /// condition takes few distinct values (a class), computing this once per distinct value and gathering it per sample
    /// replaces most of the first convolution's work (the condition channels outnumber the seen ones); see
    /// <see cref="Forward(Tensor, Tensor)"/>.
    /// </summary>
    public Tensor ConditionResponse(Tensor condition, long seenChannels) =>
        FlowExecution.Conv2d(condition, _firstWeight.narrow(1, seenChannels, _firstWeight.size(1) - seenChannels), null, padding: 1);

    /// <summary>
    /// The same output as <c>forward(cat([seen, condition], 1))</c>, given the condition's part of the first convolution
    /// precomputed by <see cref="ConditionResponse"/> (convolution is linear in its input channels).
    /// </summary>
    public Tensor Forward(Tensor seen, Tensor conditionResponse)
    {
        using var scope = NewDisposeScope();
        var h = FlowExecution.Conv2d(seen, _firstWeight.narrow(1, 0, seen.size(1)), _firstBias, padding: 1).add_(conditionResponse, One).relu_();
        h = FlowExecution.Conv2d(h, _secondWeight, _secondBias, padding: 0).relu_();
        return FlowExecution.Conv2d(h, _lastWeight, _lastBias, padding: 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc cref="InvertibleBlock.load_state_dict"/>
    public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null) =>
        StateDictLoading.Load(this, source, strict, skip, base.load_state_dict);

    private static Parameter Xavier(long outChannels, long inChannels, long kernel, double scale)
    {
        using var scope = NewDisposeScope();
        var weight = empty(outChannels, inChannels, kernel, kernel);
        nn.init.xavier_uniform_(weight);
        // A tensor factor, not a temporary Scalar (which the garbage collector can free mid-call in TorchSharp 0.107).
        return nn.Parameter(weight.mul_(tensor(scale)).MoveToOuterDisposeScope()).Owned();
    }
}
