using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// A fixed random orthogonal channel mixing between couplings (the role of FrEIA's PermuteRandom, with a rotation
/// instead of a permutation so every channel reaches both halves of the next coupling): y = Q·x at every pixel, Q the
/// orthogonal factor of a QR decomposition of Gaussian noise drawn from libtorch's seeded generator at construction.
/// Q is a buffer (saved with the model, never trained). The inverse applies Q⁻¹ (computed in float64) and the log-det,
/// H·W·log|det Q|, is 0 up to rounding; both are computed exactly from the stored Q at every call (a parent module's
/// load_state_dict replaces Q without calling this block, so nothing derived from Q is cached). State name: <c>weight</c>.
/// </summary>
public sealed class FixedOrthogonalMixing : InvertibleBlock
{
    private readonly long _channels;

    [ComponentName(Name = "weight")]
    private Tensor _weight;

    /// <summary>Creates the block for inputs of per-sample shape [C, H, W].</summary>
    public FixedOrthogonalMixing(long channels, long height, long width)
        : base(nameof(FixedOrthogonalMixing), [channels, height, width], [channels, height, width])
    {
        if (channels < 1)
        {
            throw new ArgumentException($"channel mixing needs at least one channel, got {channels}", nameof(channels));
        }

        Runtime.TorchRuntime.EnsureInitialized();
        _channels = channels;
        using (var scope = NewDisposeScope())
        {
            var (q, _) = linalg.qr(randn(channels, channels));
            _weight = q.contiguous().Owned();
        }

        register_buffer("weight", _weight);
    }

    /// <summary>The C×C orthogonal matrix Q (the module's buffer; do not modify).</summary>
    public Tensor Weight => _weight;

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var weight = _weight.to(x.dtype, x.device);
        var y = FlowExecution.Conv2d(x, weight.view(_channels, _channels, 1, 1), null, padding: 0);
        return (y.MoveToOuterDisposeScope(), PerSample(x, 1).MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var inverse = linalg.inv(_weight.to(ScalarType.Float64)).to(y.dtype, y.device);
        var x = FlowExecution.Conv2d(y, inverse.view(_channels, _channels, 1, 1), null, padding: 0);
        return (x.MoveToOuterDisposeScope(), PerSample(y, -1).MoveToOuterDisposeScope());
    }

    /// <inheritdoc cref="InvertibleBlock.load_state_dict"/>
    public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null) =>
        StateDictLoading.Load(this, source, strict, skip, base.load_state_dict);

    private Tensor PerSample(Tensor like, double sign)
    {
        // Tensor factors only: a temporary Scalar can be freed mid-call by the garbage collector (TorchSharp 0.107).
        using var factor = tensor(sign * InputShape[1] * InputShape[2], ScalarType.Float64);
        using var logAbsDet = linalg.slogdet(_weight.to(ScalarType.Float64)).Item2.mul(factor);
        return ones([like.size(0)], like.dtype, like.device).mul_(logAbsDet.to(like.dtype, like.device));
    }
}
