namespace MLNetFlows.Bench;

/// <summary>Command-line settings of the benchmarks (defaults: Glow L=3, K=8, hidden 128, batch 64, 2 threads).</summary>
internal sealed class BenchSettings
{
    public int Threads { get; set; } = 2;

    public bool Quick { get; set; }

    public int Levels { get; set; } = 3;

    public int Steps { get; set; } = 8;

    public int Hidden { get; set; } = 128;

    public int Rounds { get; set; } = 3;

    public int[] BatchSizes { get; set; } = [64];

    public GlowVariant[] Variants { get; set; } = GlowVariant.All;

    public bool Train { get; set; } = true;

    public bool Score { get; set; } = true;

    public bool ChannelsLast { get; set; } = true;
}
