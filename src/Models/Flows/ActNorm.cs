using TorchSharp.Utils;
using TorchSharp.Modules;
using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// Activation normalisation (Kingma and Dhariwal 2018, §3.1): a per-channel affine map y = (x + b)·exp(s) with
/// log|det| = H·W·Σ s. Data-dependent initialisation: the first forward call in training mode sets b and s so the
/// batch's post-ActNorm activations have zero mean and unit variance per channel. Whether that happened is the
/// <c>initialized</c> buffer, saved with the weights, so a loaded model never re-initialises.
/// </summary>
public sealed class ActNorm : InvertibleBlock
{
    private const double Epsilon = 1e-6;

    [ComponentName(Name = "bias")]
    private Parameter _bias;

    [ComponentName(Name = "logs")]
    private Parameter _logs;

    [ComponentName(Name = "initialized")]
    private Tensor _initializedFlag;

    private bool _initialized;

    /// <summary>Creates the block for inputs of per-sample shape [C, H, W].</summary>
    public ActNorm(long channels, long height, long width)
        : base(nameof(ActNorm), [channels, height, width], [channels, height, width])
    {
        Runtime.TorchRuntime.EnsureInitialized();
        _bias = nn.Parameter(zeros(1, channels, 1, 1)).Owned();
        _logs = nn.Parameter(zeros(1, channels, 1, 1)).Owned();
        _initializedFlag = zeros([1], ScalarType.Byte).Owned();
        register_parameter("bias", _bias);
        register_parameter("logs", _logs);
        register_buffer("initialized", _initializedFlag);
    }

    /// <summary>The per-channel shift b, shape [1, C, 1, 1].</summary>
    public Parameter Bias => _bias;

    /// <summary>The per-channel log-scale s, shape [1, C, 1, 1].</summary>
    public Parameter LogScale => _logs;

    /// <summary>1 once the data-dependent initialisation ran (or weights were loaded), else 0 (uint8 [1]).</summary>
    public Tensor Initialized => _initializedFlag;

    /// <summary>Whether the data-dependent initialisation has happened (cached once true: no device sync per call).</summary>
    public bool IsInitialized => _initialized || (_initialized = _initializedFlag.item<byte>() != 0);

    /// <summary>Sets b = −mean and s = −log(std + ε) per channel from <paramref name="x"/> [N, C, H, W].</summary>
    public void InitializeFrom(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var mean = x.mean([0, 2, 3], keepdim: true);
        var std = x.std([0, 2, 3], unbiased: false, keepdim: true);
        _bias.copy_(-mean);
        _logs.copy_(-std.add(Of(Epsilon), One).log());
        _initializedFlag.fill_(One);
        _initialized = true;
    }

    /// <summary>Drops the cached <see cref="IsInitialized"/> after the flag buffer was overwritten (a state load).</summary>
    internal void ForgetInitializationCache() => _initialized = false;

    /// <summary>
    /// Applies a bias-free convolution followed by this ActNorm as ONE convolution: ActNorm(W∗x) = (W·eˢ)∗x + b·eˢ,
    /// scaling the weight instead of the activations (two fewer passes over them, forward and backward). The first call
    /// in training mode runs the unfused path so the data-dependent initialisation sees the convolution's output.
    /// </summary>
    internal Tensor ConvolveThenNormalize(Tensor input, Tensor weight, long padding)
    {
        using var scope = NewDisposeScope();
        if (!FlowExecution.FoldNormalizations || (training && !IsInitialized))
        {
            return ForwardCore(FlowExecution.Conv2d(input, weight, null, padding), null).Output.MoveToOuterDisposeScope();
        }

        var (foldedWeight, foldedBias) = FoldInto(weight);
        return FlowExecution.Conv2d(input, foldedWeight, foldedBias, padding).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The weight and bias of one convolution equal to a bias-free convolution with <paramref name="weight"/>
    /// [C, in, k, k] followed by this ActNorm: (W·eˢ, b·eˢ).
    /// </summary>
    internal (Tensor Weight, Tensor Bias) FoldInto(Tensor weight)
    {
        using var scope = NewDisposeScope();
        var scale = _logs.exp().flatten();
        var foldedWeight = weight * scale.view(-1, 1, 1, 1);
        var foldedBias = _bias.flatten() * scale;
        return (foldedWeight.MoveToOuterDisposeScope(), foldedBias.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition)
    {
        if (training && !IsInitialized)
        {
            InitializeFrom(x);
        }

        using var scope = NewDisposeScope();
        var y = x.add(_bias, One).mul(_logs.exp());
        return (y.MoveToOuterDisposeScope(), LogDet(x, sign: 1).MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var x = (y * (-_logs).exp()) - _bias;
        return (x.MoveToOuterDisposeScope(), LogDet(y, sign: -1).MoveToOuterDisposeScope());
    }

    private Tensor LogDet(Tensor like, double sign)
    {
        var pixels = InputShape[1] * InputShape[2];
        return ones([like.size(0)], like.dtype, like.device).mul(_logs.sum().mul(Of(sign * pixels)));
    }
}
