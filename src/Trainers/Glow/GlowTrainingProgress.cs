namespace MLNetFlows.Trainers.Glow;

/// <summary>Where training stands; saved in checkpoints (as JSON) so a resumed run continues exactly.</summary>
internal sealed record GlowTrainingProgress
{
    /// <summary>0-based epoch being trained (or, after an epoch ends, the next one).</summary>
    public int Epoch { get; init; }

    /// <summary>Batches of <see cref="Epoch"/> already taken.</summary>
    public int BatchInEpoch { get; init; }

    /// <summary>Steps taken so far (skipped ones included).</summary>
    public long Step { get; init; }

    /// <summary>Steps skipped so far.</summary>
    public long SkippedSteps { get; init; }

    /// <summary>Steps skipped in a row up to now.</summary>
    public int ConsecutiveSkipped { get; init; }

    /// <summary>Running mean of accepted losses (0 before the first), the yardstick of <see cref="GlowTrainerOptions.LossSpikeFactor"/>.</summary>
    public double LossReference { get; init; }

    /// <summary>Sum of the accepted losses of the epoch.</summary>
    public double EpochLossSum { get; init; }

    /// <summary>Number of accepted losses in the epoch.</summary>
    public long EpochLossCount { get; init; }

    /// <summary>The last accepted loss.</summary>
    public double LastLoss { get; init; }

    /// <summary>Reports of the finished epochs.</summary>
    public List<GlowEpochReport> History { get; init; } = [];
}
