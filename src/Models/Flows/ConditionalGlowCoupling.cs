using TorchSharp;
using TorchSharp.Utils;
using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// The conditional GLOW-style coupling of the conditional INN (Ardizzone et al. 2019; FrEIA's GLOWCouplingBlock): both
/// halves are transformed per block. x = (x₁, x₂) split along channels (x₁ takes ⌊C/2⌋); with the condition c
/// concatenated along channels,
/// y₁ = x₁ ⊙ e(s₂(x₂, c)) + t₂(x₂, c), then y₂ = x₂ ⊙ e(s₁(y₁, c)) + t₁(y₁, c),
/// where e(s) = exp((2α/π)·atan(s/α)) is the soft clamp (|log e(s)| &lt; α) and each (s, t) pair comes from one
/// <see cref="XavierSubnetwork"/>. log|det| = Σ log e(s₁) + Σ log e(s₂). The subnetworks start near zero, so the block
/// starts near the identity. Without condition channels the block is unconditional. State names: <c>net1.*</c> (sees y₁),
/// <c>net2.*</c> (sees x₂).
/// </summary>
public sealed class ConditionalGlowCoupling : InvertibleBlock
{
    /// <summary>The soft-clamp α the conditional INN paper uses.</summary>
    public const double DefaultSoftClamp = 1.9;

    private readonly long _first;
    private readonly long _second;
    // Scalars from Scalars.Of, kept alive for the process: a temporary one can be freed by the garbage collector while
    // libtorch reads it (TorchSharp 0.107).
    private readonly Scalar _inverseClamp;
    private readonly Scalar _clampScale;

    [ComponentName(Name = "net1")]
    private XavierSubnetwork _firstNetwork;

    [ComponentName(Name = "net2")]
    private XavierSubnetwork _secondNetwork;

    /// <summary>Creates the block.</summary>
    /// <param name="channels">Input channels C (at least 2).</param>
    /// <param name="height">Input height.</param>
    /// <param name="width">Input width.</param>
    /// <param name="hiddenChannels">Width of each subnetwork.</param>
    /// <param name="conditionChannels">Channels of a condition [N, Cc, H, W] fed to both subnetworks, or 0 for none.</param>
    /// <param name="softClamp">α of the soft clamp on the log-scales.</param>
    public ConditionalGlowCoupling(long channels, long height, long width, long hiddenChannels, long conditionChannels = 0, double softClamp = DefaultSoftClamp)
        : base(nameof(ConditionalGlowCoupling), [channels, height, width], [channels, height, width], conditionChannels > 0 ? [conditionChannels, height, width] : null)
    {
        if (channels < 2)
        {
            throw new ArgumentException($"a coupling block needs at least 2 channels, got {channels}", nameof(channels));
        }

        if (!(softClamp > 0) || double.IsInfinity(softClamp))
        {
            throw new ArgumentOutOfRangeException(nameof(softClamp), softClamp, "the soft-clamp α must be a positive number");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(conditionChannels);
        _first = channels / 2;
        _second = channels - _first;
        _inverseClamp = Of(1 / softClamp);
        _clampScale = Of(2 * softClamp / Math.PI);
        _firstNetwork = new XavierSubnetwork(_first + conditionChannels, hiddenChannels, 2 * _second);
        _secondNetwork = new XavierSubnetwork(_second + conditionChannels, hiddenChannels, 2 * _first);
        register_module("net1", _firstNetwork);
        register_module("net2", _secondNetwork);
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var (x1, x2) = (x.narrow(1, 0, _first), x.narrow(1, _first, _second));
        var (logScale2, shift2) = ScaleAndShift(_secondNetwork, x2, condition, _first);
        var y1 = x1.mul(logScale2.exp()).add(shift2, One);
        var (logScale1, shift1) = ScaleAndShift(_firstNetwork, y1, condition, _second);
        var y2 = x2.mul(logScale1.exp()).add(shift1, One);
        var logDet = logScale1.sum([1, 2, 3]).add(logScale2.sum([1, 2, 3]), One);
        return (cat([y1, y2], 1).MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <see cref="InvertibleBlock.Forward"/> for a condition that is one of a few maps (a class): the same result as
    /// <c>Forward(x, classMaps.index_select(0, labels))</c>, with each subnetwork's first convolution applied to the
    /// <paramref name="classMaps"/> [K, Cc, H, W] once and gathered by <paramref name="labels"/> (Int64 [N]) instead of
    /// convolving the condition channels of every sample.
    /// </summary>
    public (Tensor Output, Tensor LogDet) ForwardForClasses(Tensor x, Tensor classMaps, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(classMaps);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        var (x1, x2) = (x.narrow(1, 0, _first), x.narrow(1, _first, _second));
        var response2 = GatherRows(_secondNetwork.ConditionResponse(classMaps, _second), labels);
        var (logScale2, shift2) = Split(_secondNetwork.Forward(x2, response2), _first);
        var y1 = x1.mul(logScale2.exp()).add(shift2, One);
        var response1 = GatherRows(_firstNetwork.ConditionResponse(classMaps, _first), labels);
        var (logScale1, shift1) = Split(_firstNetwork.Forward(y1, response1), _second);
        var y2 = x2.mul(logScale1.exp()).add(shift1, One);
        var logDet = logScale1.sum([1, 2, 3]).add(logScale2.sum([1, 2, 3]), One);
        return (cat([y1, y2], 1).MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var (y1, y2) = (y.narrow(1, 0, _first), y.narrow(1, _first, _second));
        var (logScale1, shift1) = ScaleAndShift(_firstNetwork, y1, condition, _second);
        var x2 = y2.add(shift1, Of(-1L)).mul(logScale1.neg().exp());
        var (logScale2, shift2) = ScaleAndShift(_secondNetwork, x2, condition, _first);
        var x1 = y1.add(shift2, Of(-1L)).mul(logScale2.neg().exp());
        var logDet = logScale1.sum([1, 2, 3]).add(logScale2.sum([1, 2, 3]), One).neg();
        return (cat([x1, x2], 1).MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <c>response.index_select(0, labels)</c>, gathered in the response's memory layout: a channels-last response
    /// (what <see cref="FlowExecution.Conv2d"/> returns on the CPU) is gathered as the [K, H, W, C] rows it is in memory, so
    /// the result is channels-last too and adds to the channels-last convolution output without a transposing pass; its
    /// backward (an index_add) runs on contiguous rows as well. The same values in either case.
    /// </summary>
    private static Tensor GatherRows(Tensor response, Tensor labels)
    {
        using var rows = response.permute(0, 2, 3, 1);
        if (!rows.is_contiguous())
        {
            return response.index_select(0, labels);
        }

        using var gathered = rows.index_select(0, labels);
        return gathered.permute(0, 3, 1, 2);
    }

    private (Tensor LogScale, Tensor Shift) ScaleAndShift(XavierSubnetwork network, Tensor seen, Tensor? condition, long transformed)
    {
        return Split(network.forward(condition is null ? seen : cat([seen, condition], 1)), transformed);
    }

    /// <summary>A subnetwork's output as the soft-clamped log-scales and the shifts of <paramref name="transformed"/> channels.</summary>
    private (Tensor LogScale, Tensor Shift) Split(Tensor output, long transformed)
    {
        var raw = output.narrow(1, 0, transformed);
        var logScale = raw.mul(_inverseClamp).atan().mul_(_clampScale);
        return (logScale, output.narrow(1, transformed, transformed));
    }
}
