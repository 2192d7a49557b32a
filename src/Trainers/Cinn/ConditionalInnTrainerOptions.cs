using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Trainers.Glow;

namespace MLNetFlows.Trainers.Cinn;

/// <summary>
/// Everything that configures conditional INN training (Ardizzone et al. 2019), for a class condition or an image
/// condition (<see cref="Condition"/>; colorization: x = the chroma, condition = the lightness): the input columns and image
/// geometry, the architecture (<see cref="ConditionalInnArchitecture"/>), the optimisation (Adam with L2 weight decay,
/// noise augmentation on x) and checkpoints. Defaults live in <see cref="Defaults"/> and
/// <see cref="ConditionalInnArchitecture.Defaults"/>, declared once.
/// </summary>
public sealed class ConditionalInnTrainerOptions
{
    /// <summary>Defaults of the training settings.</summary>
    public static class Defaults
    {
        /// <summary>Input column: pixel values in [0, 255] as a float vector of C·H·W (ExtractPixels with scaleImage 1).</summary>
        public const string FeatureColumnName = "Features";

        /// <summary>Condition column: a key (class k ↔ key value k + 1) or an integer class index 0 … K − 1.</summary>
        public const string LabelColumnName = "Label";

        /// <summary>Bits per pixel modelled.</summary>
        public const int NumberOfBits = 8;

        /// <summary>Images per optimisation step.</summary>
        public const int BatchSize = 64;

        /// <summary>Passes over the training rows.</summary>
        public const int NumberOfEpochs = 10;

        /// <summary>Adam's learning rate.</summary>
        public const double LearningRate = 1e-3;

        /// <summary>Steps of linear learning-rate warm-up from 0 (none: the paper starts at the full rate).</summary>
        public const int WarmupSteps = 0;

        /// <summary>Learning rate after the warm-up.</summary>
        public const LearningRateSchedule Schedule = LearningRateSchedule.Constant;

        /// <summary>L2 weight decay (Adam's weight_decay), the paper's weight regularisation.</summary>
        public const double WeightDecay = 1e-5;

        /// <summary>Standard deviation of the Gaussian noise added to the model input x̃ ∈ [−½, ½] during training.</summary>
        public const double NoiseStandardDeviation = 0.005;

        /// <summary>Maximum gradient norm (clipping), the safety net of the soft-clamped couplings.</summary>
        public const double GradientClipNorm = 10;

        /// <summary>Decay of the exponential moving average of the weights (Polyak averaging), as Glow's.</summary>
        public const double WeightAveragingDecay = GlowTrainerOptions.Defaults.WeightAveragingDecay;

        /// <summary>Fraction of rows held out to report validation bits/dim.</summary>
        public const double ValidationFraction = 0.1;

        /// <summary>Steps between checkpoints when a checkpoint directory is set.</summary>
        public const int CheckpointEverySteps = 500;

        /// <summary>Device to train on.</summary>
        public const string Device = "cpu";

        /// <summary>Rows per forward pass when the fitted transformer scores (each row is scored under every class).</summary>
        public const int ScoringBatchSize = 64;

        /// <summary>Condition column of an image condition: Cc·H·W values in [0, 255] (e.g. the lightness of a photograph).</summary>
        public const string ConditionColumnName = "Condition";

        /// <summary>Channels of the condition image (1: a gray or lightness image).</summary>
        public const int ConditionImageChannels = 1;

        /// <summary>Temperature of the samples an image-conditioned transformer adds per row (1 = the model's distribution).</summary>
        public const double SamplingTemperature = 1;

    }

    /// <summary>Column of C·H·W pixel values in [0, 255].</summary>
    public string FeatureColumnName { get; set; } = Defaults.FeatureColumnName;

    /// <summary>Column of class labels (key or integer).</summary>
    public string LabelColumnName { get; set; } = Defaults.LabelColumnName;

    /// <summary>Image channels.</summary>
    public int Channels { get; set; } = 1;

    /// <summary>What the network is conditioned on: the label column (<see cref="ConditionKind.Class"/>, the default) or the image in <see cref="ConditionColumnName"/>.</summary>
    public ConditionKind Condition { get; set; } = ConditionKind.Class;

    /// <summary>Column of the condition image (image condition): Cc·H·W values in [0, 255], the same height and width as the features.</summary>
    public string ConditionColumnName { get; set; } = Defaults.ConditionColumnName;

    /// <summary>Channels Cc of the condition image (image condition).</summary>
    public int ConditionImageChannels { get; set; } = Defaults.ConditionImageChannels;

    /// <summary>Channels of the conditioning network's feature maps at each level (image condition).</summary>
    public int ConditionFeatureChannels { get; set; } = ConditionalInnArchitecture.Defaults.ConditionFeatureChannels;

    /// <summary>Image condition: temperature of the sample the fitted transformer adds for each row's condition.</summary>
    public double SamplingTemperature { get; set; } = Defaults.SamplingTemperature;

    /// <summary>Image condition: seed of the samples the fitted transformer adds (each row's latent comes from it and the row's condition image).</summary>
    public int SamplingSeed { get; set; }

    /// <summary>Image height (padded with black up to a multiple of 2^Levels).</summary>
    public required int ImageHeight { get; set; }

    /// <summary>Image width (padded with black up to a multiple of 2^Levels).</summary>
    public required int ImageWidth { get; set; }

    /// <summary>Number of classes K; 0 takes it from the label column (key count, or the largest integer label + 1).</summary>
    public int NumberOfClasses { get; set; }

    /// <summary>Levels (resolutions).</summary>
    public int Levels { get; set; } = ConditionalInnArchitecture.Defaults.Levels;

    /// <summary>Coupling blocks per level.</summary>
    public int BlocksPerLevel { get; set; } = ConditionalInnArchitecture.Defaults.BlocksPerLevel;

    /// <summary>Hidden channels of each coupling subnetwork.</summary>
    public int HiddenChannels { get; set; } = ConditionalInnArchitecture.Defaults.HiddenChannels;

    /// <summary>α of the soft clamp.</summary>
    public double SoftClamp { get; set; } = ConditionalInnArchitecture.Defaults.SoftClamp;

    /// <summary>Haar wavelets or squeeze.</summary>
    public DownsamplingKind Downsampling { get; set; } = ConditionalInnArchitecture.Defaults.Downsampling;

    /// <summary>One-hot or learned class embedding.</summary>
    public ClassEncoding ClassEncoding { get; set; } = ConditionalInnArchitecture.Defaults.ClassEncoding;

    /// <summary>Channels of the learned class embedding.</summary>
    public int EmbeddingDimension { get; set; } = ConditionalInnArchitecture.Defaults.EmbeddingDimension;

    /// <summary>
    /// The latents' prior: the paper's N(0, I) (<see cref="LatentPrior.StandardNormal"/>), or a learned Gaussian per
    /// class (<see cref="LatentPrior.ClassGaussian"/>, class conditions only). Null (the default) picks by the condition:
    /// the class Gaussian for a class condition (its samples were recognised as their class more often, at the same
    /// bits/dim and Bayes accuracy), N(0, I) for an image condition.
    /// </summary>
    public LatentPrior? LatentPrior { get; set; }

    /// <summary>The prior the network gets: <see cref="LatentPrior"/>, or when it is null the default for <see cref="Condition"/>.</summary>
    internal LatentPrior ChosenLatentPrior => LatentPrior ?? (Condition == ConditionKind.Class ? Models.Cinn.LatentPrior.ClassGaussian : Models.Cinn.LatentPrior.StandardNormal);

    /// <summary>Bits per pixel modelled (1–8).</summary>
    public int NumberOfBits { get; set; } = Defaults.NumberOfBits;

    /// <summary>Images per step.</summary>
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>Passes over the training rows.</summary>
    public int NumberOfEpochs { get; set; } = Defaults.NumberOfEpochs;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; set; } = Defaults.LearningRate;

    /// <summary>Steps of linear learning-rate warm-up from 0 to <see cref="LearningRate"/>.</summary>
    public int WarmupSteps { get; set; } = Defaults.WarmupSteps;

    /// <summary>
    /// The learning rate after the warm-up: constant, or a half cosine down to 0 at the last step of
    /// <see cref="NumberOfEpochs"/> (a run that <see cref="MaxTrainingTime"/> stops earlier ends part-way down).
    /// </summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = Defaults.Schedule;

    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; set; } = Defaults.WeightDecay;

    /// <summary>Gaussian noise augmentation on the model input during training (0 = none).</summary>
    public double NoiseStandardDeviation { get; set; } = Defaults.NoiseStandardDeviation;

    /// <summary>Maximum gradient norm, or null for no clipping.</summary>
    public double? GradientClipNorm { get; set; } = Defaults.GradientClipNorm;

    /// <summary>
    /// Decay d of the exponential moving average of the weights (Polyak averaging, <see cref="ExponentialMovingAverage"/>):
    /// validation figures and the fitted model use the averaged weights. Null trains and keeps the raw weights.
    /// </summary>
    public double? WeightAveragingDecay { get; set; } = Defaults.WeightAveragingDecay;

    /// <summary>Fraction of rows held out for validation bits/dim (0 = none).</summary>
    public double ValidationFraction { get; set; } = Defaults.ValidationFraction;

    /// <summary>Seed of every random draw; null draws one from the MLContext.</summary>
    public int? Seed { get; set; }

    /// <summary>Device: cpu, cuda or cuda:N.</summary>
    public string Device { get; set; } = Defaults.Device;

    /// <summary>Directory for the checkpoint (resumed from when present), or null for none.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Steps between checkpoints.</summary>
    public int CheckpointEverySteps { get; set; } = Defaults.CheckpointEverySteps;

    /// <summary>
    /// Wall-clock budget; training stops after the step that exceeds it. The checkpoint then holds the batch reached, so
    /// a run resumed with a larger budget finishes the epoch. Null trains all epochs.
    /// </summary>
    public TimeSpan? MaxTrainingTime { get; set; }

    /// <summary>Rows per forward pass of the fitted transformer.</summary>
    public int ScoringBatchSize { get; set; } = Defaults.ScoringBatchSize;

    /// <summary>Called after every epoch.</summary>
    public Action<ConditionalInnEpochReport>? ProgressCallback { get; set; }

    /// <summary>Called after every step.</summary>
    public Action<ConditionalInnStepReport>? StepCallback { get; set; }

    /// <summary>Stops training between steps (after writing a checkpoint when a directory is set).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>The network's hyper-parameters for <paramref name="numberOfClasses"/> classes (input padded to 2^Levels).</summary>
    public ConditionalInnArchitecture ArchitectureFor(int numberOfClasses) => new()
    {
        Channels = Channels,
        Height = GlowInput.PaddedSide(ImageHeight, Levels),
        Width = GlowInput.PaddedSide(ImageWidth, Levels),
        Levels = Levels,
        BlocksPerLevel = BlocksPerLevel,
        HiddenChannels = HiddenChannels,
        SoftClamp = SoftClamp,
        Downsampling = Downsampling,
        Condition = Condition,
        NumberOfClasses = Condition == ConditionKind.Class ? numberOfClasses : 0,
        ConditionImageChannels = Condition == ConditionKind.Image ? ConditionImageChannels : 0,
        ConditionFeatureChannels = ConditionFeatureChannels,
        ClassEncoding = ClassEncoding,
        EmbeddingDimension = EmbeddingDimension,
        Prior = ChosenLatentPrior,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting and what is expected.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(FeatureColumnName), "FeatureColumnName must name a column");
        Require(!string.IsNullOrWhiteSpace(LabelColumnName), "LabelColumnName must name a column");
        Require(Channels >= 1, $"Channels must be at least 1, got {Channels}");
        Require(ImageHeight >= 1 && ImageWidth >= 1, $"ImageHeight and ImageWidth must be at least 1, got {ImageHeight}×{ImageWidth}");
        Require(NumberOfClasses == 0 || NumberOfClasses >= 2, $"NumberOfClasses must be 0 (from the label column) or at least 2, got {NumberOfClasses}");
        Require(Enum.IsDefined(Condition), $"Condition must be Class or Image, got {Condition}");
        Require(SamplingTemperature >= 0 && double.IsFinite(SamplingTemperature), $"SamplingTemperature must be a finite number ≥ 0, got {SamplingTemperature}");
        Require(Condition == ConditionKind.Class || !string.IsNullOrWhiteSpace(ConditionColumnName), "ConditionColumnName must name a column");
        Require(Condition == ConditionKind.Class || NumberOfClasses == 0, $"NumberOfClasses applies to class conditions only; leave it 0 with an image condition, got {NumberOfClasses}");
        Require(LatentPrior is null || Enum.IsDefined(LatentPrior.Value), $"LatentPrior must be StandardNormal, ClassGaussian or null (by the condition), got {LatentPrior}");
        Require(Condition == ConditionKind.Class || LatentPrior != Models.Cinn.LatentPrior.ClassGaussian, "LatentPrior ClassGaussian needs a class condition; set LatentPrior = StandardNormal or null with an image condition");
        Require(NumberOfBits is >= 1 and <= 8, $"NumberOfBits must be between 1 and 8, got {NumberOfBits}");
        Require(BatchSize >= 1, $"BatchSize must be at least 1, got {BatchSize}");
        Require(NumberOfEpochs >= 1, $"NumberOfEpochs must be at least 1, got {NumberOfEpochs}");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"LearningRate must be a positive number, got {LearningRate}");
        Require(WarmupSteps >= 0, $"WarmupSteps must not be negative, got {WarmupSteps}");
        Require(Enum.IsDefined(LearningRateSchedule), $"LearningRateSchedule must be Constant or Cosine, got {LearningRateSchedule}");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), $"WeightDecay must be a non-negative number, got {WeightDecay}");
        Require(NoiseStandardDeviation >= 0 && double.IsFinite(NoiseStandardDeviation), $"NoiseStandardDeviation must be a non-negative number, got {NoiseStandardDeviation}");
        Require(GradientClipNorm is null || (GradientClipNorm > 0 && double.IsFinite(GradientClipNorm.Value)), $"GradientClipNorm must be positive or null, got {GradientClipNorm}");
        Require(WeightAveragingDecay is null or > 0 and < 1, $"WeightAveragingDecay must be in (0, 1) when set, got {WeightAveragingDecay}");
        Require(ValidationFraction is >= 0 and < 1, $"ValidationFraction must be in [0, 1), got {ValidationFraction}");
        Require(CheckpointEverySteps >= 1, $"CheckpointEverySteps must be at least 1, got {CheckpointEverySteps}");
        Require(ScoringBatchSize is >= 1 and <= GlowTrainerOptions.MaximumScoringBatchSize, $"ScoringBatchSize must be between 1 and {GlowTrainerOptions.MaximumScoringBatchSize}, got {ScoringBatchSize}");
        Require(MaxTrainingTime is null || MaxTrainingTime > TimeSpan.Zero, $"MaxTrainingTime must be positive, got {MaxTrainingTime}");
        _ = DeviceNames.Parse(Device);
        Require(Levels is >= 1 and <= 30, $"Levels must be between 1 and 30, got {Levels}");
        ArchitectureFor(Math.Max(NumberOfClasses, 2)).Validate();
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
