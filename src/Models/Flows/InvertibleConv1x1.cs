using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;

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
/// </summary>
public sealed class InvertibleConv1x1 : InvertibleBlock
{
    private readonly long _channels;
    private readonly ConvolutionParameterization _parameterization;
    private readonly Tensor? _weight;
    private readonly Tensor? _permutation;
    private readonly Tensor? _lower;
    private readonly Tensor? _upper;
    private readonly Tensor? _logAbsDiagonal;
    private readonly Tensor? _signDiagonal;
    private readonly Tensor? _lowerMask;
    private readonly Tensor? _identity;

    /// <summary>Creates the block for inputs of per-sample shape [C, H, W].</summary>
    public InvertibleConv1x1(long channels, long height, long width, ConvolutionParameterization parameterization = ConvolutionParameterization.LU)
        : base([channels, height, width], [channels, height, width])
    {
        _channels = channels;
        _parameterization = parameterization;
        using var scope = DisposeScope.Enter();
        var (rotation, _) = Linalg.QR(Tensor.Randn([channels, channels]));
        if (parameterization == ConvolutionParameterization.Plain)
        {
            _weight = RegisterParameter("weight", rotation.Clone());
            return;
        }

        var (lu, pivots) = Linalg.LUFactor(rotation);
        var (p, l, u) = Linalg.LUUnpack(lu, pivots);
        var diagonal = Linalg.Diag(u);
        _permutation = RegisterBuffer("p", p.Clone());
        _signDiagonal = RegisterBuffer("sign_s", diagonal.Sign());
        _lowerMask = RegisterBuffer("l_mask", Linalg.Tril(Tensor.Ones([channels, channels]), -1));
        _identity = RegisterBuffer("eye", Tensor.Eye(channels));
        _lower = RegisterParameter("l", l.Clone());
        _upper = RegisterParameter("u", Linalg.Triu(u, 1));
        _logAbsDiagonal = RegisterParameter("log_s", diagonal.Abs().Log());
    }

    /// <summary>The current C×C weight W (a new tensor).</summary>
    public Tensor Weight()
    {
        if (_parameterization == ConvolutionParameterization.Plain)
        {
            return _weight!.Alias();
        }

        using var scope = DisposeScope.Enter();
        var lower = (_lower! * _lowerMask!) + _identity!;
        var upper = (_upper! * _lowerMask!.Transpose(0, 1)) + Linalg.Diag(_signDiagonal! * _logAbsDiagonal!.Exp());
        return scope.MoveToOuter(_permutation!.MatMul(lower).MatMul(upper));
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition)
    {
        using var scope = DisposeScope.Enter();
        var weight = Weight();
        var y = Functional.Conv2d(x, weight.View(_channels, _channels, 1, 1));
        return (scope.MoveToOuter(y), scope.MoveToOuter(PerSample(LogAbsDet(weight), x)));
    }

    /// <summary>
    /// Forward of <paramref name="actNorm"/> followed by this block as one 1×1 convolution with bias:
    /// W·((x + b)⊙eˢ) = (W·diag(eˢ))·x + W·(b⊙eˢ); log|det| is the sum of both blocks' log-dets.
    /// </summary>
    internal (Tensor Output, Tensor LogDet) ForwardAfterActNorm(Tensor x, ActNorm actNorm)
    {
        using var scope = DisposeScope.Enter();
        var weight = Weight();
        var scale = actNorm.LogScale.Exp().View(1, -1);
        var fused = weight * scale;
        var bias = fused.MatMul(actNorm.Bias.View(-1, 1)).Flatten();
        var y = Functional.Conv2d(x, fused.View(_channels, _channels, 1, 1), bias);
        var logAbsDet = LogAbsDet(weight) + actNorm.LogScale.Sum();
        return (scope.MoveToOuter(y), scope.MoveToOuter(PerSample(logAbsDet, x)));
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition)
    {
        using var scope = DisposeScope.Enter();
        var weight = Weight();
        var inverse = Linalg.Inverse(weight.To(DType.Float64)).To(weight.DType);
        var x = Functional.Conv2d(y, inverse.View(_channels, _channels, 1, 1));
        return (scope.MoveToOuter(x), scope.MoveToOuter(PerSample(-LogAbsDet(weight), y)));
    }

    private Tensor LogAbsDet(Tensor weight) => _parameterization == ConvolutionParameterization.Plain
        ? Linalg.SlogDet(weight).LogAbsDet
        : _logAbsDiagonal!.Sum();

    private Tensor PerSample(Tensor logAbsDet, Tensor like)
    {
        var pixels = InputShape[1] * InputShape[2];
        return Tensor.Ones([like.Size(0)], like.DType, like.Device) * (logAbsDet * pixels);
    }
}
