namespace MLNetFlows.Trainers.Cinn;

/// <summary>Figures of one conditional INN training epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Step">Optimisation steps taken so far (all epochs).</param>
/// <param name="TrainBitsPerDim">Mean training bits/dim given the labels (with dequantisation and augmentation noise), per original pixel.</param>
/// <param name="ValidationBitsPerDim">Validation conditional bits/dim per original pixel (uniform dequantisation), or null without a validation split.</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch.</param>
public sealed record ConditionalInnEpochReport(int Epoch, long Step, double TrainBitsPerDim, double? ValidationBitsPerDim, double ImagesPerSecond);

/// <summary>Figures of one training step.</summary>
/// <param name="Step">Steps taken so far (all epochs), including this one.</param>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Batch">1-based batch number within the epoch.</param>
/// <param name="BatchesPerEpoch">Batches in an epoch.</param>
/// <param name="BitsPerDim">The step's training bits/dim.</param>
public sealed record ConditionalInnStepReport(long Step, int Epoch, int Batch, int BatchesPerEpoch, double BitsPerDim);
