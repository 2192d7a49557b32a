using System.Globalization;

namespace MLNetFlows.Trainers.Cinn;

/// <summary>Where conditional INN training stands; saved in checkpoints (as JSON) so a resumed run continues exactly.</summary>
internal sealed record ConditionalInnProgress
{
    /// <summary>0-based epoch being trained (or, after an epoch ends, the next one).</summary>
    public int Epoch { get; init; }

    /// <summary>Batches of <see cref="Epoch"/> already taken.</summary>
    public int BatchInEpoch { get; init; }

    /// <summary>Steps taken so far.</summary>
    public long Step { get; init; }

    /// <summary>Sum of the epoch's step losses.</summary>
    public double EpochLossSum { get; init; }

    /// <summary>Number of the epoch's steps.</summary>
    public long EpochLossCount { get; init; }

    /// <summary>Reports of the finished epochs.</summary>
    public List<ConditionalInnEpochReport> History { get; init; } = [];
}

/// <summary>What makes a checkpoint belong to a run: resuming with other values would not continue the same run.</summary>
/// <param name="Seed">The seed of every random draw.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="TrainingRows">Number of training images (fixes the shuffles).</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="WeightDecay">L2 weight decay.</param>
/// <param name="NoiseStandardDeviation">Augmentation noise.</param>
/// <param name="WarmupSteps">Learning-rate warm-up steps.</param>
/// <param name="LearningRateSchedule">The learning rate after the warm-up.</param>
/// <param name="ScheduledSteps">
/// The step at which a cosine schedule reaches 0 (epochs × batches per epoch); 0 for a constant one, whose run may be
/// resumed with more epochs. Checkpoints written before the schedule existed lack the last three and read as constant.
/// </param>
internal sealed record ConditionalInnRunIdentity(
    int Seed, int BatchSize, long TrainingRows, double LearningRate, double WeightDecay, double NoiseStandardDeviation,
    int WarmupSteps = 0, LearningRateSchedule LearningRateSchedule = LearningRateSchedule.Constant, long ScheduledSteps = 0)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"seed {Seed}, batch size {BatchSize}, {TrainingRows} training rows, learning rate {LearningRate}, weight decay {WeightDecay}, noise {NoiseStandardDeviation}, warm-up {WarmupSteps} steps, {LearningRateSchedule} schedule{(ScheduledSteps > 0 ? $" over {ScheduledSteps} steps" : "")}");

    /// <summary>Adam's learning rate at 1-based <paramref name="step"/>.</summary>
    public double LearningRateAt(long step) => LearningRateSchedule.At(step, ScheduledSteps, WarmupSteps, LearningRate);
}
