namespace MLNetFlows.Trainers.InfoGan;

/// <summary>Figures of one InfoGAN training epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Step">Optimisation steps taken so far (all epochs).</param>
/// <param name="DiscriminatorLoss">Mean GAN loss of D over the epoch, −log D(x) − log(1 − D(G(z))) (2·ln 2 ≈ 1.386 when D cannot tell; → 0 when D wins outright).</param>
/// <param name="GeneratorLoss">Mean GAN loss of G over the epoch, −log D(G(z)).</param>
/// <param name="CategoricalInformation">Mean lower bound of the categorical codes' mutual information with the images, H(c) − cross-entropy of Q (nats; at most Σ ln Kᵢ).</param>
/// <param name="ContinuousInformation">Mean lower bound of the continuous codes' mutual information, H(c) − Q's Gaussian negative log-likelihood (nats). With σ fixed at 1 the likelihood term is at least ½ ln 2π per code, so the bound stays below M·(ln 2 − ½ ln 2π) ≈ −0.23·M: watch it rise, not its sign.</param>
/// <param name="CodeEntropy">Over a probe batch of generated images with uniformly drawn codes, the entropy of Q's predicted classes divided by ln K, the lowest over the categorical codes (1: every class used evenly; 0: one class for all images; NaN without categorical codes).</param>
/// <param name="SampleVariation">Per-pixel standard deviation across the probe batch, averaged over pixels, relative to the same figure for training images (≈ 1 for a varied generator; → 0 when the samples stop varying).</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch (real images per second).</param>
/// <param name="ModeCollapse">What collapse signal the epoch showed and what to change, or null when none (always null before <see cref="InfoGanTrainerOptions.ModeCollapseWarmupSteps"/>).</param>
public sealed record InfoGanEpochReport(
    int Epoch,
    long Step,
    double DiscriminatorLoss,
    double GeneratorLoss,
    double CategoricalInformation,
    double ContinuousInformation,
    double CodeEntropy,
    double SampleVariation,
    double ImagesPerSecond,
    string? ModeCollapse);

/// <summary>Where one InfoGAN training step stands.</summary>
/// <param name="Step">Steps taken so far (all epochs), including this one.</param>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Batch">1-based batch number within the epoch.</param>
/// <param name="BatchesPerEpoch">Batches in an epoch.</param>
public sealed record InfoGanStepReport(long Step, int Epoch, int Batch, int BatchesPerEpoch);
