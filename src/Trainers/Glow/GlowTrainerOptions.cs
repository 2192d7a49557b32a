using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;

namespace MLNetFlows.Trainers.Glow;

/// <summary>
/// Everything that configures Glow training: the input column and image geometry, the architecture, the optimisation
/// and its safety nets. Defaults live in <see cref="Defaults"/> and <see cref="GlowArchitecture.Defaults"/>, declared once.
/// </summary>
public class GlowTrainerOptions
{
    /// <summary>The largest <see cref="ScoringBatchSize"/>: every cursor buffers a whole batch of rows.</summary>
    public const int MaximumScoringBatchSize = 16_384;

    /// <summary>Defaults of the training settings.</summary>
    public static class Defaults
    {
        /// <summary>Input column: pixel values in [0, 255] as a float vector of C·H·W (ExtractPixels with scaleImage 1).</summary>
        public const string FeatureColumnName = "Features";

        /// <summary>Bits per pixel modelled [n_bits_x].</summary>
        public const int NumberOfBits = 8;

        /// <summary>Images per optimisation step.</summary>
        public const int BatchSize = 64;

        /// <summary>Passes over the training rows.</summary>
        public const int NumberOfEpochs = 10;

        /// <summary>Peak learning rate [lr].</summary>
        public const double LearningRate = 1e-3;

        /// <summary>Steps of linear warm-up from 0 to the peak learning rate.</summary>
        public const int WarmupSteps = 200;

        /// <summary>Learning rate after the warm-up (openai/glow keeps it constant).</summary>
        public const LearningRateSchedule Schedule = LearningRateSchedule.Constant;

        /// <summary>Optimizer [optimizer].</summary>
        public const OptimizerKind Optimizer = OptimizerKind.Adamax;

        /// <summary>Fraction of rows held out to report validation bits/dim.</summary>
        public const double ValidationFraction = 0.1;

        /// <summary>Steps between checkpoints when a checkpoint directory is set.</summary>
        public const int CheckpointEverySteps = 500;

        /// <summary>Consecutive skipped steps (non-finite or spiking losses) after which training stops.</summary>
        public const int MaxConsecutiveSkippedSteps = 10;

        /// <summary>A step whose loss exceeds this multiple of the running mean loss is skipped.</summary>
        public const double LossSpikeFactor = 2;

        /// <summary>Decay of the exponential moving average of the weights (Polyak averaging).</summary>
        public const double WeightAveragingDecay = 0.999;

        /// <summary>Device to train on.</summary>
        public const string Device = "cpu";

        /// <summary>Rows per forward pass when the fitted transformer scores.</summary>
        public const int ScoringBatchSize = 256;
    }

    /// <summary>The input column (a float vector of C·H·W pixel values in [0, 255], channel-major).</summary>
    public string FeatureColumnName { get; set; } = Defaults.FeatureColumnName;

    /// <summary>Image height H of the input column.</summary>
    public int ImageHeight { get; set; }

    /// <summary>Image width W of the input column.</summary>
    public int ImageWidth { get; set; }

    /// <summary>Image channels C of the input column (1 gray, 3 RGB).</summary>
    public int Channels { get; set; } = 1;

    /// <summary>Levels L.</summary>
    public int Levels { get; set; } = GlowArchitecture.Defaults.Levels;

    /// <summary>Steps of flow per level K.</summary>
    public int StepsPerLevel { get; set; } = GlowArchitecture.Defaults.StepsPerLevel;

    /// <summary>Hidden channels of the coupling networks.</summary>
    public int HiddenChannels { get; set; } = GlowArchitecture.Defaults.HiddenChannels;

    /// <summary>Affine or additive coupling.</summary>
    public CouplingKind Coupling { get; set; } = GlowArchitecture.Defaults.Coupling;

    /// <summary>LU-decomposed or plain invertible 1×1 convolutions.</summary>
    public ConvolutionParameterization Permutation { get; set; } = GlowArchitecture.Defaults.Permutation;

    /// <summary>α of the coupling soft clamp, or null for σ(h + 2) scales.</summary>
    public double? SoftClamp { get; set; }

    /// <summary>Whether the top prior is learned.</summary>
    public bool LearnTopPrior { get; set; } = GlowArchitecture.Defaults.LearnTopPrior;

    /// <summary>Bits per pixel modelled, 1 to 8 (openai/glow uses 5 for CelebA-HQ, 8 elsewhere).</summary>
    public int NumberOfBits { get; set; } = Defaults.NumberOfBits;

    /// <summary>Images per step.</summary>
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>Passes over the training rows.</summary>
    public int NumberOfEpochs { get; set; } = Defaults.NumberOfEpochs;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; set; } = Defaults.LearningRate;

    /// <summary>Steps of linear warm-up.</summary>
    public int WarmupSteps { get; set; } = Defaults.WarmupSteps;

    /// <summary>Learning rate after the warm-up: constant, or a cosine down to 0 at the last planned step.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = Defaults.Schedule;

    /// <summary>Adamax (openai/glow's choice) or Adam; see <see cref="OptimizerKind"/>.</summary>
    public OptimizerKind Optimizer { get; set; } = Defaults.Optimizer;

    /// <summary>Largest joint gradient L2 norm; larger gradients are scaled down. Null disables clipping.</summary>
    public double? GradientClipNorm { get; set; }

    /// <summary>"cpu", "cuda" or "cuda:N".</summary>
    public string Device { get; set; } = Defaults.Device;

    /// <summary>Seed of initialisation, shuffling and dequantisation noise; null takes the MLContext's seed (or 0).</summary>
    public int? Seed { get; set; }

    /// <summary>Fraction of rows held out for validation bits/dim, in [0, 1).</summary>
    public double ValidationFraction { get; set; } = Defaults.ValidationFraction;

    /// <summary>Folder for checkpoints; training resumes from the checkpoint found there. Null disables checkpoints.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Steps between checkpoints.</summary>
    public int CheckpointEverySteps { get; set; } = Defaults.CheckpointEverySteps;

    /// <summary>Consecutive skipped steps (non-finite or spiking losses) after which training stops with an error.</summary>
    public int MaxConsecutiveSkippedSteps { get; set; } = Defaults.MaxConsecutiveSkippedSteps;

    /// <summary>
    /// A step whose loss is more than this multiple of the running mean of recent losses is skipped (before its backward
    /// pass) and counted, like a non-finite one: one wild batch would otherwise swamp Adamax's infinity norm, which
    /// forgets it by only 0.1 % per step. Null never skips a finite loss. Must exceed 1.
    /// </summary>
    public double? LossSpikeFactor { get; set; } = Defaults.LossSpikeFactor;

    /// <summary>
    /// Decay d of the exponential moving average of the weights (Polyak averaging, as openai/glow evaluates and saves):
    /// validation figures and the fitted model use the averaged weights. Null trains and keeps the raw weights.
    /// </summary>
    public double? WeightAveragingDecay { get; set; } = Defaults.WeightAveragingDecay;

    /// <summary>
    /// Wall-clock budget: once exceeded, training stops after the current step and finishes normally (validation,
    /// report, model) as if the epochs had ended there. The checkpoint holds the batch reached, so a run resumed with a
    /// larger budget finishes the epoch. Null trains all epochs.
    /// </summary>
    public TimeSpan? MaxTrainingTime { get; set; }

    /// <summary>Whether the fitted transformer also outputs the concatenated latents (column "Latent").</summary>
    public bool OutputLatent { get; set; }

    /// <summary>Rows per forward pass when the fitted transformer scores (batches of rows, never one row at a time).</summary>
    public int ScoringBatchSize { get; set; } = Defaults.ScoringBatchSize;

    /// <summary>Called after every epoch with its figures.</summary>
    public Action<GlowEpochReport>? ProgressCallback { get; set; }

    /// <summary>Called after every optimisation step (for progress bars); keep it cheap.</summary>
    public Action<GlowStepReport>? StepCallback { get; set; }

    /// <summary>Cancels training between steps (a checkpoint is written first when checkpoints are on).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>The network hyper-parameters implied by these options (input padded to a multiple of 2^L).</summary>
    public GlowArchitecture Architecture => new()
    {
        Channels = Channels,
        Height = GlowInput.PaddedSide(ImageHeight, Levels),
        Width = GlowInput.PaddedSide(ImageWidth, Levels),
        Levels = Levels,
        StepsPerLevel = StepsPerLevel,
        HiddenChannels = HiddenChannels,
        Coupling = Coupling,
        Permutation = Permutation,
        SoftClamp = SoftClamp,
        LearnTopPrior = LearnTopPrior,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option, what it must be and what it is.</summary>
    public virtual void Validate()
    {
        Check(ImageHeight >= 1 && ImageWidth >= 1, nameof(ImageHeight), $"ImageHeight and ImageWidth must be positive, got {ImageHeight}×{ImageWidth}");
        Check(Channels >= 1, nameof(Channels), $"Channels must be at least 1, got {Channels}");
        Check(NumberOfBits is >= 1 and <= 8, nameof(NumberOfBits), $"NumberOfBits must be between 1 and 8, got {NumberOfBits}");
        Check(BatchSize >= 1, nameof(BatchSize), $"BatchSize must be at least 1, got {BatchSize}");
        Check(ScoringBatchSize is >= 1 and <= MaximumScoringBatchSize, nameof(ScoringBatchSize), $"ScoringBatchSize must be between 1 and {MaximumScoringBatchSize}, got {ScoringBatchSize}");
        Check(NumberOfEpochs >= 1, nameof(NumberOfEpochs), $"NumberOfEpochs must be at least 1, got {NumberOfEpochs}");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), $"LearningRate must be positive and finite, got {LearningRate}");
        Check(WarmupSteps >= 0, nameof(WarmupSteps), $"WarmupSteps must not be negative, got {WarmupSteps}");
        Check(GradientClipNorm is null or > 0, nameof(GradientClipNorm), $"GradientClipNorm must be positive when set, got {GradientClipNorm}");
        Check(ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), $"ValidationFraction must be in [0, 1), got {ValidationFraction}");
        Check(CheckpointEverySteps >= 1, nameof(CheckpointEverySteps), $"CheckpointEverySteps must be at least 1, got {CheckpointEverySteps}");
        Check(MaxConsecutiveSkippedSteps >= 1, nameof(MaxConsecutiveSkippedSteps), $"MaxConsecutiveSkippedSteps must be at least 1, got {MaxConsecutiveSkippedSteps}");
        Check(LossSpikeFactor is null or > 1 and < double.PositiveInfinity, nameof(LossSpikeFactor), $"LossSpikeFactor must be finite and greater than 1 when set, got {LossSpikeFactor}");
        Check(WeightAveragingDecay is null or > 0 and < 1, nameof(WeightAveragingDecay), $"WeightAveragingDecay must be in (0, 1) when set, got {WeightAveragingDecay}");
        Check(MaxTrainingTime is null || MaxTrainingTime > TimeSpan.Zero, nameof(MaxTrainingTime), $"MaxTrainingTime must be positive when set, got {MaxTrainingTime}");
        Check(!string.IsNullOrWhiteSpace(FeatureColumnName), nameof(FeatureColumnName), "FeatureColumnName must name a column");
        try
        {
            DeviceNames.Parse(Device);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"Device: {e.Message}", nameof(Device), e);
        }

        Check(Levels is >= 1 and <= 30, nameof(Levels), $"Levels must be between 1 and 30, got {Levels}");
        Architecture.Validate();
    }

    private static void Check(bool condition, string name, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message, name);
        }
    }
}
