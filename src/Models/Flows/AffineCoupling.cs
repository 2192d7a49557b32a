using TorchSharp.Utils;
using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>Which transformation a coupling block applies to the second half of the channels.</summary>
public enum CouplingKind
{
    /// <summary>y₂ = (x₂ + t(x₁))·σ(h(x₁) + 2), openai/glow's affine coupling.</summary>
    Affine,

    /// <summary>y₂ = x₂ + t(x₁), volume preserving (log-det 0), as in NICE/RealNVP's additive coupling.</summary>
    Additive,
}

/// <summary>
/// Coupling block (Dinh et al. 2017; Kingma and Dhariwal 2018, §3.3): x = (x₁, x₂) split along channels; x₁ passes
/// unchanged and, with the optional condition c concatenated along channels (the conditional INN of Ardizzone et al.
/// 2019), feeds a subnetwork giving shift t and scale logits h. Affine: y₂ = (x₂ + t)·scale with scale = σ(h + 2), or,
/// with soft clamping, scale = exp((2α/π)·atan(h/α)) (Ardizzone et al. 2019) which bounds |log scale| below α.
/// log|det| = Σ log scale. The subnetwork's last convolution starts at zero, so the block starts as the identity
/// (affine: σ(2) ≈ 0.88 scale, as in openai/glow). State names: <c>net.*</c>.
/// </summary>
public sealed class AffineCoupling : InvertibleBlock
{
    private readonly CouplingKind _kind;
    private readonly double? _clamp;
    private readonly long _half;

    [ComponentName(Name = "net")]
    private CouplingNetwork _network;

    /// <summary>Creates the block.</summary>
    /// <param name="channels">Input channels C (even).</param>
    /// <param name="height">Input height.</param>
    /// <param name="width">Input width.</param>
    /// <param name="hiddenChannels">Width of the subnetwork.</param>
    /// <param name="kind">Affine or additive.</param>
    /// <param name="softClamp">α of the soft clamp; null uses openai/glow's σ(h + 2) scale.</param>
    /// <param name="conditionChannels">Channels of a condition [N, Cc, H, W] fed to the subnetwork, or 0 for none.</param>
    public AffineCoupling(long channels, long height, long width, long hiddenChannels, CouplingKind kind = CouplingKind.Affine, double? softClamp = null, long conditionChannels = 0)
        : base(nameof(AffineCoupling), [channels, height, width], [channels, height, width], conditionChannels > 0 ? [conditionChannels, height, width] : null)
    {
        if (channels < 2 || channels % 2 != 0)
        {
            throw new ArgumentException($"a coupling block needs an even number of channels of at least 2, got {channels}", nameof(channels));
        }

        if (softClamp is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(softClamp), softClamp, "the soft-clamp α must be positive");
        }

        _kind = kind;
        _clamp = softClamp;
        _half = channels / 2;
        var outChannels = kind == CouplingKind.Affine ? channels : _half;
        _network = new CouplingNetwork(_half + conditionChannels, hiddenChannels, outChannels, height, width);
        register_module("net", _network);
    }

    /// <summary>The subnetwork computing shift and scale from x₁ (and the condition).</summary>
    public CouplingNetwork Network => _network;

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var (x1, x2) = (x.narrow(1, 0, _half), x.narrow(1, _half, _half));
        var (shift, logScale) = ShiftAndLogScale(x1, condition);
        var y2 = logScale is null ? x2.add(shift, One) : x2.add(shift, One).mul(logScale.exp());
        var logDet = logScale is null ? ZeroLogDet(x) : logScale.sum([1, 2, 3]);
        return (cat([x1, y2], 1).MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var (y1, y2) = (y.narrow(1, 0, _half), y.narrow(1, _half, _half));
        var (shift, logScale) = ShiftAndLogScale(y1, condition);
        var x2 = logScale is null ? y2 - shift : (y2 * (-logScale).exp()) - shift;
        var logDet = logScale is null ? ZeroLogDet(y) : -logScale.sum([1, 2, 3]);
        return (cat([y1, x2], 1).MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    private (Tensor Shift, Tensor? LogScale) ShiftAndLogScale(Tensor x1, Tensor? condition)
    {
        var input = condition is null ? x1 : cat([x1, condition], 1);
        var h = _network.forward(input);
        if (_kind == CouplingKind.Additive)
        {
            return (h, null);
        }

        var shift = h.narrow(1, 0, _half);
        var raw = h.narrow(1, _half, _half);
        var logScale = _clamp is { } alpha
            ? raw.div(Of(alpha)).atan().mul(Of(2 * alpha / Math.PI))
            : nn.functional.logsigmoid(raw.add(Of(2L), One));
        return (shift, logScale);
    }
}
