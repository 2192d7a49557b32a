using System.Globalization;
using MLNetFlows.Models.InfoGan;

namespace MLNetFlows.Trainers.InfoGan;

/// <summary>
/// Everything that configures InfoGAN training: the image geometry, the latent codes and network widths, the two Adam
/// optimizers and the information weights (Chen et al. 2016 and openai/InfoGAN's MNIST run), checkpoints and the
/// mode-collapse watch. Defaults live in <see cref="Defaults"/> and <see cref="InfoGanArchitecture.Defaults"/>, declared once.
/// </summary>
public class InfoGanTrainerOptions
{
    /// <summary>Defaults of the training settings.</summary>
    public static class Defaults
    {
        /// <summary>Images per step (openai/InfoGAN's batch_size).</summary>
        public const int BatchSize = 128;

        /// <summary>Passes over the training rows.</summary>
        public const int NumberOfEpochs = 20;

        /// <summary>Adam learning rate of the generator (the paper's 1e-3).</summary>
        public const double GeneratorLearningRate = 1e-3;

        /// <summary>Adam learning rate of the discriminator and Q (the paper's 2e-4).</summary>
        public const double DiscriminatorLearningRate = 2e-4;

        /// <summary>Adam β₁ of both optimizers (the paper's 0.5).</summary>
        public const double Beta1 = 0.5;

        /// <summary>Adam β₂ of both optimizers (PyTorch's and TensorFlow's default).</summary>
        public const double Beta2 = 0.999;

        /// <summary>λ of the categorical information term (the paper's 1).</summary>
        public const double CategoricalWeight = 1;

        /// <summary>λ of the continuous information term (openai/InfoGAN's MNIST run: 1, with σ fixed at 1).</summary>
        public const double ContinuousWeight = 1;

        /// <summary>λ of the information term on real images (0: off, as in the paper).</summary>
        public const double RealInformationWeight = 0;

        /// <summary>How the first weights are drawn (openai/InfoGAN's N(0, 0.02²)).</summary>
        public const InfoGanWeightInitialization WeightInitialization = InfoGanWeightInitialization.OpenAi;

        /// <summary>Steps between checkpoints when a checkpoint directory is set.</summary>
        public const int CheckpointEverySteps = 500;

        /// <summary>What a detected mode collapse does.</summary>
        public const ModeCollapseAction OnModeCollapse = ModeCollapseAction.Stop;

        /// <summary>Consecutive epochs a collapse signal must persist before it is acted on.</summary>
        public const int ModeCollapsePatience = 2;

        /// <summary>Steps before the mode-collapse watch judges (a fresh generator's samples barely vary and ignore the codes).</summary>
        public const int ModeCollapseWarmupSteps = 500;

        /// <summary>
        /// Seed of every random stream when none is set: a fixed value, so training without a seed is reproducible too
        /// (the estimator never takes MLContext's seed, which is random unless given).
        /// </summary>
        public const int Seed = 0;

        /// <summary>Device to train on.</summary>
        public const string Device = "cpu";
    }

    /// <summary>Image height H of the training pixels, divisible by 4.</summary>
    public int ImageHeight { get; set; }

    /// <summary>Image width W of the training pixels, divisible by 4.</summary>
    public int ImageWidth { get; set; }

    /// <summary>Image channels C (1 gray, 3 RGB).</summary>
    public int Channels { get; set; } = 1;

    /// <summary>Incompressible noise variables z.</summary>
    public int NoiseSize { get; set; } = InfoGanArchitecture.Defaults.NoiseSize;

    /// <summary>Classes of each categorical code (several codes allowed).</summary>
    public IReadOnlyList<int> CategoryCounts { get; set; } = [InfoGanArchitecture.Defaults.CategoryCount];

    /// <summary>Continuous codes, uniform in [−1, 1].</summary>
    public int ContinuousCodes { get; set; } = InfoGanArchitecture.Defaults.ContinuousCodes;

    /// <summary>Whether Q learns the standard deviation of the continuous codes (else σ = 1).</summary>
    public bool LearnContinuousStd { get; set; } = InfoGanArchitecture.Defaults.LearnContinuousStd;

    /// <summary>Width of the fully connected hidden layers of G and of the D/Q body.</summary>
    public int HiddenUnits { get; set; } = InfoGanArchitecture.Defaults.HiddenUnits;

    /// <summary>Channels of D's first convolution and of G's hidden up-convolution (the next layer has twice as many).</summary>
    public int ConvolutionChannels { get; set; } = InfoGanArchitecture.Defaults.ConvolutionChannels;

    /// <summary>Width of the Q head's hidden layer.</summary>
    public int RecognitionUnits { get; set; } = InfoGanArchitecture.Defaults.RecognitionUnits;

    /// <summary>Negative slope of D's and Q's leaky ReLUs.</summary>
    public double LeakySlope { get; set; } = InfoGanArchitecture.Defaults.LeakySlope;

    /// <summary>Images per step.</summary>
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>Passes over the training rows.</summary>
    public int NumberOfEpochs { get; set; } = Defaults.NumberOfEpochs;

    /// <summary>Adam learning rate of G.</summary>
    public double GeneratorLearningRate { get; set; } = Defaults.GeneratorLearningRate;

    /// <summary>Adam learning rate of D and Q.</summary>
    public double DiscriminatorLearningRate { get; set; } = Defaults.DiscriminatorLearningRate;

    /// <summary>Adam β₁ of both optimizers.</summary>
    public double Beta1 { get; set; } = Defaults.Beta1;

    /// <summary>Adam β₂ of both optimizers.</summary>
    public double Beta2 { get; set; } = Defaults.Beta2;

    /// <summary>λ of the categorical information term, in both G's and D/Q's losses.</summary>
    public double CategoricalWeight { get; set; } = Defaults.CategoricalWeight;

    /// <summary>λ of the continuous information term, in both G's and D/Q's losses.</summary>
    public double ContinuousWeight { get; set; } = Defaults.ContinuousWeight;

    /// <summary>
    /// λ of a term in D/Q's loss that asks Q's categorical prediction to carry information about the real training images:
    /// minus the mutual information between a real batch's images and Q's predicted classes
    /// (<see cref="InfoGanObjective.BatchCategoryInformationLoss"/>; confident on each image, every class equally often
    /// over the batch). The generated images teach Q which class each code means; this term moves Q's boundaries between
    /// classes into the gaps between the real images, where code inference on real images needs them. 0 (the default,
    /// the paper's objective) leaves it out.
    /// </summary>
    public double RealInformationWeight { get; set; } = Defaults.RealInformationWeight;

    /// <summary>
    /// The first step that adds the <see cref="RealInformationWeight"/> term (0: from the start). Started late, it only
    /// sharpens the classes the generated images have already taught Q, instead of fixing a clustering of its own.
    /// </summary>
    public int RealInformationStartStep { get; set; }

    /// <summary>
    /// Decay of an exponential moving average of all the weights (G's, D's and Q's; Polyak averaging, as for Glow and the
    /// conditional INN), updated after every step: <see cref="EpochModelCallback"/> and the returned / fitted model use
    /// the averaged weights, with the batch-normalisation statistics as training left them; the mode-collapse watch
    /// follows the trained weights. Null (the default) keeps the raw weights.
    /// </summary>
    public double? WeightAveragingDecay { get; set; }

    /// <summary>
    /// How the first weights are drawn: openai/InfoGAN's N(0, 0.02²) by default, which with the training step's separate
    /// real and generated passes made the categorical code match MNIST's digits sooner (docs/architecture.md).
    /// </summary>
    public InfoGanWeightInitialization WeightInitialization { get; set; } = Defaults.WeightInitialization;

    /// <summary>"cpu", "cuda" or "cuda:N".</summary>
    public string Device { get; set; } = Defaults.Device;

    /// <summary>
    /// Seed of every random stream (initialisation, shuffles, noise and codes of each step, collapse probes); the same
    /// seed, data and options give the same model on the same machine. Default <see cref="Defaults.Seed"/> (fixed).
    /// </summary>
    public int Seed { get; set; } = Defaults.Seed;

    /// <summary>Folder for checkpoints; training resumes from the checkpoint found there. Null disables checkpoints.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Steps between checkpoints.</summary>
    public int CheckpointEverySteps { get; set; } = Defaults.CheckpointEverySteps;

    /// <summary>What a mode collapse that persists for <see cref="ModeCollapsePatience"/> epochs does: log a warning, or stop with an error.</summary>
    public ModeCollapseAction OnModeCollapse { get; set; } = Defaults.OnModeCollapse;

    /// <summary>Consecutive epochs a collapse signal must persist before <see cref="OnModeCollapse"/> acts (the signal is reported every epoch).</summary>
    public int ModeCollapsePatience { get; set; } = Defaults.ModeCollapsePatience;

    /// <summary>
    /// Steps before the mode-collapse watch judges: a freshly initialised generator's samples barely vary and ignore the
    /// codes, which is no collapse. The figures are reported from the first epoch on.
    /// </summary>
    public int ModeCollapseWarmupSteps { get; set; } = Defaults.ModeCollapseWarmupSteps;

    /// <summary>
    /// Wall-clock budget: once exceeded, training stops after the current step and finishes normally. The checkpoint holds
    /// the batch reached, so a run resumed with a larger budget finishes the epoch. Null trains all epochs.
    /// </summary>
    public TimeSpan? MaxTrainingTime { get; set; }

    /// <summary>Called after every epoch with its figures.</summary>
    public Action<InfoGanEpochReport>? ProgressCallback { get; set; }

    /// <summary>
    /// Called after every epoch, after <see cref="ProgressCallback"/>, with the epoch's figures and the model in evaluation
    /// mode: for sample grids or custom measurements during training. Only read the model (generate or infer under
    /// <c>torch.no_grad()</c>); do not change or dispose it. Every training step reseeds libtorch's generator, so draws
    /// made here do not change the run. Training continues in training mode after the call.
    /// </summary>
    public Action<InfoGanEpochReport, InfoGanModel>? EpochModelCallback { get; set; }

    /// <summary>Called after every optimisation step (for progress bars); keep it cheap.</summary>
    public Action<InfoGanStepReport>? StepCallback { get; set; }

    /// <summary>Cancels training between steps (a checkpoint is written first when checkpoints are on).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>The network hyper-parameters implied by these options.</summary>
    public InfoGanArchitecture Architecture => new()
    {
        Channels = Channels,
        Height = ImageHeight,
        Width = ImageWidth,
        NoiseSize = NoiseSize,
        CategoryCounts = [.. CategoryCounts ?? []],
        ContinuousCodes = ContinuousCodes,
        LearnContinuousStd = LearnContinuousStd,
        HiddenUnits = HiddenUnits,
        ConvolutionChannels = ConvolutionChannels,
        RecognitionUnits = RecognitionUnits,
        LeakySlope = LeakySlope,
    };

    /// <summary>A copy of these options (the callbacks and the list of class counts are shared).</summary>
    internal InfoGanTrainerOptions ShallowCopy() => (InfoGanTrainerOptions)MemberwiseClone();

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option, what it must be and what it is.</summary>
    public virtual void Validate()
    {
        Check(ImageHeight >= 1 && ImageWidth >= 1, nameof(ImageHeight), $"ImageHeight and ImageWidth must be positive, got {ImageHeight}×{ImageWidth}");
        Check(CategoryCounts is not null, nameof(CategoryCounts), "CategoryCounts must not be null; use an empty list for no categorical code");
        Check(BatchSize >= 2, nameof(BatchSize), $"BatchSize must be at least 2 (batch normalisation needs two images), got {BatchSize}");
        Check(NumberOfEpochs >= 1, nameof(NumberOfEpochs), $"NumberOfEpochs must be at least 1, got {NumberOfEpochs}");
        CheckRate(GeneratorLearningRate, nameof(GeneratorLearningRate));
        CheckRate(DiscriminatorLearningRate, nameof(DiscriminatorLearningRate));
        Check(Beta1 is >= 0 and < 1, nameof(Beta1), Invariant($"Beta1 must be in [0, 1), got {Beta1}"));
        Check(Beta2 is >= 0 and < 1, nameof(Beta2), Invariant($"Beta2 must be in [0, 1), got {Beta2}"));
        Check(CategoricalWeight >= 0 && double.IsFinite(CategoricalWeight), nameof(CategoricalWeight), Invariant($"CategoricalWeight must be finite and not negative, got {CategoricalWeight}"));
        Check(ContinuousWeight >= 0 && double.IsFinite(ContinuousWeight), nameof(ContinuousWeight), Invariant($"ContinuousWeight must be finite and not negative, got {ContinuousWeight}"));
        Check(RealInformationWeight >= 0 && double.IsFinite(RealInformationWeight), nameof(RealInformationWeight), Invariant($"RealInformationWeight must be finite and not negative, got {RealInformationWeight}"));
        Check(RealInformationStartStep >= 0, nameof(RealInformationStartStep), Invariant($"RealInformationStartStep must not be negative, got {RealInformationStartStep}"));
        Check(WeightAveragingDecay is null or > 0 and < 1, nameof(WeightAveragingDecay), Invariant($"WeightAveragingDecay must be in (0, 1) when set, got {WeightAveragingDecay}"));
        Check(CheckpointEverySteps >= 1, nameof(CheckpointEverySteps), $"CheckpointEverySteps must be at least 1, got {CheckpointEverySteps}");
        Check(ModeCollapsePatience >= 1, nameof(ModeCollapsePatience), $"ModeCollapsePatience must be at least 1, got {ModeCollapsePatience}");
        Check(ModeCollapseWarmupSteps >= 0, nameof(ModeCollapseWarmupSteps), $"ModeCollapseWarmupSteps must not be negative, got {ModeCollapseWarmupSteps}");
        Check(Enum.IsDefined(WeightInitialization), nameof(WeightInitialization), $"WeightInitialization must be OpenAi or LibTorch, got {WeightInitialization}");
        Check(Enum.IsDefined(OnModeCollapse), nameof(OnModeCollapse), $"OnModeCollapse must be Warn or Stop, got {OnModeCollapse}");
        Check(MaxTrainingTime is null || MaxTrainingTime > TimeSpan.Zero, nameof(MaxTrainingTime), $"MaxTrainingTime must be positive when set, got {MaxTrainingTime}");
        try
        {
            DeviceNames.Parse(Device);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"Device: {e.Message}", nameof(Device), e);
        }

        Architecture.Validate();
    }

    private static void CheckRate(double rate, string name) =>
        Check(rate > 0 && double.IsFinite(rate), name, Invariant($"{name} must be positive and finite, got {rate}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Check(bool condition, string name, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message, name);
        }
    }
}
