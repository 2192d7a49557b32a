using System.Globalization;

namespace MLNetFlows.Trainers.InfoGan;

/// <summary>What makes a checkpoint belong to a run: resuming with other values would not continue the same run.</summary>
/// <param name="Seed">The seed of every random draw.</param>
/// <param name="BatchSize">Images per step (fixes the batches of every epoch).</param>
/// <param name="TrainingRows">Number of training images (fixes the shuffles).</param>
internal sealed record InfoGanRunIdentity(int Seed, int BatchSize, long TrainingRows)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"seed {Seed}, batch size {BatchSize}, {TrainingRows} training rows");
}
