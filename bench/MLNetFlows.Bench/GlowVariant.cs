using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Runtime;

namespace MLNetFlows.Bench;

/// <summary>
/// One execution path of the models: ActNorm/scale folds on or off (FlowExecution.FoldNormalizations), channels-last or
/// NCHW convolutions (FlowExecution.ChannelsLast) and flushed or kept denormals (TorchRuntime.SetFlushDenormal).
/// Named "folded|unfolded"-"cl|nchw"-"flush|keep". The library's default path is folded-cl; flushing denormals is the
/// application's choice. NCHW training computes wrong gradients on AVX-512 CPUs: timed only to measure the layout.
/// </summary>
internal sealed record GlowVariant(bool Fold, bool ChannelsLast, bool FlushDenormals)
{
    public static readonly GlowVariant[] All =
        [.. from fold in new[] { true, false } from channelsLast in new[] { true, false } from flush in new[] { true, false } select new GlowVariant(fold, channelsLast, flush)];

    public string Name => $"{(Fold ? "folded" : "unfolded")}-{(ChannelsLast ? "cl" : "nchw")}-{(FlushDenormals ? "flush" : "keep")}";

    public static GlowVariant Parse(string name)
    {
        var parts = name.Split('-');
        if (parts.Length != 3 || parts[0] is not ("folded" or "unfolded") || parts[1] is not ("cl" or "nchw") || parts[2] is not ("flush" or "keep"))
        {
            throw new ArgumentException($"unknown variant '{name}': expected folded|unfolded-cl|nchw-flush|keep, e.g. folded-cl-flush");
        }

        return new GlowVariant(parts[0] == "folded", parts[1] == "cl", parts[2] == "flush");
    }

    /// <summary>Switches the process to this variant.</summary>
    public void Apply()
    {
        FlowExecution.FoldNormalizations = Fold;
        FlowExecution.ChannelsLast = ChannelsLast;
        TorchRuntime.SetFlushDenormal(FlushDenormals);
    }
}
