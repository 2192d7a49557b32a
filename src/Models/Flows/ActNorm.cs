using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;

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
    private bool _initialized;

    /// <summary>Creates the block for inputs of per-sample shape [C, H, W].</summary>
    public ActNorm(long channels, long height, long width)
        : base([channels, height, width], [channels, height, width])
    {
        Bias = RegisterParameter("bias", Tensor.Zeros([1, channels, 1, 1]));
        LogScale = RegisterParameter("logs", Tensor.Zeros([1, channels, 1, 1]));
        Initialized = RegisterBuffer("initialized", Tensor.Zeros([1], DType.UInt8));
    }

    /// <summary>The per-channel shift b, shape [1, C, 1, 1].</summary>
    public Tensor Bias { get; }

    /// <summary>The per-channel log-scale s, shape [1, C, 1, 1].</summary>
    public Tensor LogScale { get; }

    /// <summary>1 once the data-dependent initialisation ran (or weights were loaded), else 0.</summary>
    public Tensor Initialized { get; }

    /// <summary>Whether the data-dependent initialisation has happened (cached once true: no device sync per call).</summary>
    public bool IsInitialized => _initialized || (_initialized = Initialized.Item() != 0);

    /// <summary>Sets b = −mean and s = −log(std + ε) per channel from <paramref name="x"/> [N, C, H, W].</summary>
    public void InitializeFrom(Tensor x)
    {
        using var scope = DisposeScope.Enter();
        using var noGrad = Autograd.NoGrad();
        var mean = x.Mean([0, 2, 3], keepDim: true);
        var std = x.Std([0, 2, 3], unbiased: false, keepDim: true);
        Bias.Copy_(-mean);
        LogScale.Copy_(-(std + Epsilon).Log());
        Initialized.Fill_(1);
        _initialized = true;
    }

    /// <inheritdoc />
    protected override void OnStateLoaded() => _initialized = false;

    /// <summary>
    /// Applies a bias-free convolution followed by this ActNorm as ONE convolution: ActNorm(W∗x) = (W·eˢ)∗x + b·eˢ,
    /// scaling the weight instead of the activations (two fewer passes over them, forward and backward). The first call
    /// in training mode runs the unfused path so the data-dependent initialisation sees the convolution's output.
    /// </summary>
    internal Tensor ConvolveThenNormalize(Tensor input, Tensor weight, int padding)
    {
        using var scope = DisposeScope.Enter();
        if (IsTraining && !IsInitialized)
        {
            return scope.MoveToOuter(ForwardCore(Functional.Conv2d(input, weight, padding: padding), null).Output);
        }

        var (fusedWeight, fusedBias) = FoldInto(weight);
        return scope.MoveToOuter(Functional.Conv2d(input, fusedWeight, fusedBias, padding: padding));
    }

    /// <summary>
    /// The weight and bias of one convolution equal to a bias-free convolution with <paramref name="weight"/>
    /// [C, in, k, k] followed by this ActNorm: (W·eˢ, b·eˢ).
    /// </summary>
    internal (Tensor Weight, Tensor Bias) FoldInto(Tensor weight)
    {
        using var scale = LogScale.Exp().Flatten();
        using var column = scale.View(-1, 1, 1, 1);
        using var bias = Bias.Flatten();
        return (weight * column, bias * scale);
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition)
    {
        if (IsTraining && !IsInitialized)
        {
            InitializeFrom(x);
        }

        using var shifted = x + Bias;
        using var scale = LogScale.Exp();
        return (shifted * scale, LogDet(x, sign: 1));
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition)
    {
        using var inverseScale = (-LogScale).Exp();
        using var unscaled = y * inverseScale;
        return (unscaled - Bias, LogDet(y, sign: -1));
    }

    private Tensor LogDet(Tensor like, double sign)
    {
        var pixels = InputShape[1] * InputShape[2];
        using var total = LogScale.Sum();
        using var perSample = total * (sign * pixels);
        using var ones = Tensor.Ones([like.Size(0)], like.DType, like.Device);
        return ones * perSample;
    }
}
