namespace MLNetFlows.Trainers.Glow;

/// <summary>Figures of one training epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Step">Optimisation steps taken so far (all epochs).</param>
/// <param name="TrainBitsPerDim">Mean training bits/dim of the epoch (with dequantisation noise), per original pixel.</param>
/// <param name="ValidationBitsPerDim">Validation bits/dim, per original pixel, or null without a validation split.</param>
/// <param name="SkippedSteps">Steps skipped so far because the loss was not finite or spiked (see <see cref="GlowTrainerOptions.LossSpikeFactor"/>).</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch.</param>
public sealed record GlowEpochReport(int Epoch, long Step, double TrainBitsPerDim, double? ValidationBitsPerDim, long SkippedSteps, double ImagesPerSecond);

/// <summary>Figures of one training step.</summary>
/// <param name="Step">Steps taken so far (all epochs), including this one.</param>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Batch">1-based batch number within the epoch.</param>
/// <param name="BatchesPerEpoch">Batches in an epoch.</param>
/// <param name="BitsPerDim">The step's training bits/dim (NaN for a skipped step).</param>
public sealed record GlowStepReport(long Step, int Epoch, int Batch, int BatchesPerEpoch, double BitsPerDim);
