using TorchSharp.Utils;
using TorchSharp.Modules;
using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>How <see cref="InvertibleConv1x1"/> parameterises its weight.</summary>
public enum ConvolutionParameterization
{
    /// <summary>W = P·L·(U + diag(sign·exp(log|s|))) with P and sign fixed: log|det W| = Σ log|s|, O(C) to evaluate.</summary>
    LU,

    /// <summary>A plain C×C matrix: log|det W| by slogdet, O(C³).</summary>
    Plain,
}

/// <summary>
/// Invertible 1×1 convolution (Kingma and Dhariwal 2018, §3.2): a learned channel mixing y = W·x at every pixel,
/// log|det| = H·W·log|det W|. W starts as a random rotation (Q of a QR decomposition of Gaussian noise).
/// State names: <c>weight</c> (plain), or <c>p</c>, <c>sign_s</c>, <c>l_mask</c>, <c>eye</c> (buffers) and <c>l</c>,
/// <c>u</c>, <c>log_s</c> (parameters) for LU, as in openai/glow.
/// </summary>
public sealed class InvertibleConv1x1 : InvertibleBlock
{
    private readonly long _channels;
    private readonly ConvolutionParameterization _parameterization;

    [ComponentName(Name = "weight")]
    private Parameter? _weight;

    [ComponentName(Name = "p")]
    private Tensor? _permutation;

    [ComponentName(Name = "sign_s")]
    private Tensor? _signDiagonal;

    [ComponentName(Name = "l_mask")]
    private Tensor? _lowerMask;

    [ComponentName(Name = "eye")]
    private Tensor? _identity;

    [ComponentName(Name = "l")]
    private Parameter? _lower;

    [ComponentName(Name = "u")]
    private Parameter? _upper;

    [ComponentName(Name = "log_s")]
    private Parameter? _logAbsDiagonal;

    /// <summary>Creates the block for inputs of per-sample shape [C, H, W].</summary>
    public InvertibleConv1x1(long channels, long height, long width, ConvolutionParameterization parameterization = ConvolutionParameterization.LU)
        : base(nameof(InvertibleConv1x1), [channels, height, width], [channels, height, width])
    {
        Runtime.TorchRuntime.EnsureInitialized();
        _channels = channels;
        _parameterization = parameterization;
        using var scope = NewDisposeScope();
        var (rotation, _) = linalg.qr(randn(channels, channels));
        if (parameterization == ConvolutionParameterization.Plain)
        {
            _weight = nn.Parameter(rotation.clone()).Owned();
            register_parameter("weight", _weight);
            return;
        }

        var (lu, pivots) = linalg.lu_factor(rotation);
        var (p, l, u) = lu_unpack(lu, pivots!);
        var diagonal = diag(u!);
        _permutation = p.clone().Owned();
        _signDiagonal = diagonal.sign().Owned();
        _lowerMask = ones(channels, channels).tril(-1).Owned();
        _identity = eye(channels).Owned();
        _lower = nn.Parameter(l!.clone()).Owned();
        _upper = nn.Parameter(u!.triu(1)).Owned();
        _logAbsDiagonal = nn.Parameter(diagonal.abs().log()).Owned();
        register_buffer("p", _permutation);
        register_buffer("sign_s", _signDiagonal);
        register_buffer("l_mask", _lowerMask);
        register_buffer("eye", _identity);
        register_parameter("l", _lower);
        register_parameter("u", _upper);
        register_parameter("log_s", _logAbsDiagonal);
    }

    /// <summary>The parameterisation of the weight.</summary>
    public ConvolutionParameterization Parameterization => _parameterization;

    /// <summary>The current C×C weight W (a new tensor, in the caller's dispose scope).</summary>
    public Tensor Weight()
    {
        if (_parameterization == ConvolutionParameterization.Plain)
        {
            return _weight!.alias();
        }

        using var scope = NewDisposeScope();
        var lower = _lower!.mul(_lowerMask!).add(_identity!, One);
        var upper = _upper!.mul(_lowerMask!.t()).add(diag(_signDiagonal!.mul(_logAbsDiagonal!.exp())), One);
        return _permutation!.matmul(lower).matmul(upper).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var weight = Weight();
        var y = FlowExecution.Conv2d(x, weight.view(_channels, _channels, 1, 1), null, padding: 0);
        return (y.MoveToOuterDisposeScope(), PerSample(LogAbsDet(weight), x).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Forward of <paramref name="actNorm"/> followed by this block as one 1×1 convolution with bias:
    /// W·((x + b)⊙eˢ) = (W·diag(eˢ))·x + W·(b⊙eˢ); log|det| is the sum of both blocks' log-dets.
    /// </summary>
    internal (Tensor Output, Tensor LogDet) ForwardAfterActNorm(Tensor x, ActNorm actNorm)
    {
        using var scope = NewDisposeScope();
        var weight = Weight();
        var scale = actNorm.LogScale.exp().view(1, -1);
        var fused = weight * scale;
        var bias = fused.matmul(actNorm.Bias.view(-1, 1)).flatten();
        var y = FlowExecution.Conv2d(x, fused.view(_channels, _channels, 1, 1), bias, padding: 0);
        var logAbsDet = LogAbsDet(weight).add(actNorm.LogScale.sum(), One);
        return (y.MoveToOuterDisposeScope(), PerSample(logAbsDet, x).MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var weight = Weight();
        var inverse = linalg.inv(weight.to(ScalarType.Float64)).to(weight.dtype);
        var x = FlowExecution.Conv2d(y, inverse.view(_channels, _channels, 1, 1), null, padding: 0);
        return (x.MoveToOuterDisposeScope(), PerSample(-LogAbsDet(weight), y).MoveToOuterDisposeScope());
    }

    private static T Keep<T>(T tensor)
        where T : Tensor => (T)tensor.DetachFromDisposeScope();

    private Tensor LogAbsDet(Tensor weight) => _parameterization == ConvolutionParameterization.Plain
        ? linalg.slogdet(weight).Item2
        : _logAbsDiagonal!.sum();

    private Tensor PerSample(Tensor logAbsDet, Tensor like)
    {
        var pixels = InputShape[1] * InputShape[2];
        return ones([like.size(0)], like.dtype, like.device).mul(logAbsDet.mul(Of(pixels)));
    }
}
