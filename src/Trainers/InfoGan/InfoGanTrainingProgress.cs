namespace MLNetFlows.Trainers.InfoGan;

/// <summary>Where InfoGAN training stands; saved in checkpoints (as JSON) so a resumed run continues exactly.</summary>
internal sealed record InfoGanTrainingProgress
{
    /// <summary>0-based epoch being trained (or, after an epoch ends, the next one).</summary>
    public int Epoch { get; init; }

    /// <summary>Batches of <see cref="Epoch"/> already taken.</summary>
    public int BatchInEpoch { get; init; }

    /// <summary>Steps taken so far.</summary>
    public long Step { get; init; }

    /// <summary>Sums over the epoch's steps of D's GAN loss, G's GAN loss, Q's categorical and continuous losses.</summary>
    public double[] EpochSums { get; init; } = new double[4];

    /// <summary>Steps summed in <see cref="EpochSums"/>.</summary>
    public long EpochSteps { get; init; }

    /// <summary>Consecutive epochs, up to now, that showed a collapse signal.</summary>
    public int CollapsedEpochs { get; init; }

    /// <summary>Reports of the finished epochs.</summary>
    public List<InfoGanEpochReport> History { get; init; } = [];
}
