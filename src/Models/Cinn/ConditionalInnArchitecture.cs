using System.Text.Json.Serialization;
using MLNetFlows.Models.Flows;

namespace MLNetFlows.Models.Cinn;

/// <summary>How the spatial resolution is halved at the start of each level.</summary>
public enum DownsamplingKind
{
    /// <summary>Haar wavelet coefficients, averages first (<see cref="HaarDownsampling"/>), as the conditional INN paper.</summary>
    Haar,

    /// <summary>Space-to-depth reshuffling (<see cref="Squeeze"/>), as Glow.</summary>
    Squeeze,
}

/// <summary>What the network is conditioned on.</summary>
public enum ConditionKind
{
    /// <summary>A class label in 0 … K − 1 (class-conditional generation, Bayes classification).</summary>
    Class,

    /// <summary>An image of the same height and width (e.g. the lightness channel, for colorization).</summary>
    Image,
}

/// <summary>How a class label becomes the condition feature maps.</summary>
public enum ClassEncoding
{
    /// <summary>K one-hot channels, constant over the image.</summary>
    OneHot,

    /// <summary>A learned embedding of <see cref="ConditionalInnArchitecture.EmbeddingDimension"/> channels, constant over the image.</summary>
    Embedding,
}

/// <summary>The distribution of the latents given the condition.</summary>
public enum LatentPrior
{
    /// <summary>N(0, I) whatever the condition, as the conditional INN paper.</summary>
    StandardNormal,

    /// <summary>A learned diagonal Gaussian per class (<see cref="ClassConditionalPrior"/>; class conditions only).</summary>
    ClassGaussian,
}

/// <summary>
/// The hyper-parameters that fix a conditional INN's shape (Ardizzone et al. 2019). The input [N, C, H, W] has both
/// sides divisible by 2^<see cref="Levels"/>. Each level halves the resolution (<see cref="Downsampling"/>), runs
/// <see cref="BlocksPerLevel"/> × (conditional GLOW coupling → fixed orthogonal mixing) with the condition's feature maps
/// at that resolution, and every level but the last splits off half its channels as a latent. The latents' prior is
/// N(0, I) or, for class conditions, a learned Gaussian per class (<see cref="Prior"/>).
/// </summary>
public sealed record ConditionalInnArchitecture
{
    /// <summary>Defaults, declared once and read by every options type that exposes them.</summary>
    public static class Defaults
    {
        /// <summary>Levels (resolutions).</summary>
        public const int Levels = 2;

        /// <summary>Coupling blocks per level.</summary>
        public const int BlocksPerLevel = 4;

        /// <summary>Hidden channels of each coupling subnetwork.</summary>
        public const int HiddenChannels = 64;

        /// <summary>α of the soft clamp.</summary>
        public const double SoftClamp = ConditionalGlowCoupling.DefaultSoftClamp;

        /// <summary>Downsampling.</summary>
        public const DownsamplingKind Downsampling = DownsamplingKind.Haar;

        /// <summary>Class encoding.</summary>
        public const ClassEncoding ClassEncoding = Cinn.ClassEncoding.OneHot;

        /// <summary>Channels of a learned class embedding.</summary>
        public const int EmbeddingDimension = 8;

        /// <summary>Channels of the image-conditioning network's feature maps at each level.</summary>
        public const int ConditionFeatureChannels = 16;
    }

    /// <summary>Image channels of x (1 gray, 2 chroma, 3 RGB).</summary>
    public required int Channels { get; init; }

    /// <summary>Model-input height, divisible by 2^L.</summary>
    public required int Height { get; init; }

    /// <summary>Model-input width, divisible by 2^L.</summary>
    public required int Width { get; init; }

    /// <summary>Levels L.</summary>
    public int Levels { get; init; } = Defaults.Levels;

    /// <summary>Coupling blocks per level.</summary>
    public int BlocksPerLevel { get; init; } = Defaults.BlocksPerLevel;

    /// <summary>Hidden channels of each coupling subnetwork.</summary>
    public int HiddenChannels { get; init; } = Defaults.HiddenChannels;

    /// <summary>α of the soft clamp (2α/π)·atan(s/α) on the log-scales.</summary>
    public double SoftClamp { get; init; } = Defaults.SoftClamp;

    /// <summary>Haar wavelets or squeeze.</summary>
    public DownsamplingKind Downsampling { get; init; } = Defaults.Downsampling;

    /// <summary>Class label or image condition.</summary>
    public ConditionKind Condition { get; init; } = ConditionKind.Class;

    /// <summary>Number of classes K (class condition).</summary>
    public int NumberOfClasses { get; init; }

    /// <summary>One-hot or learned embedding (class condition).</summary>
    public ClassEncoding ClassEncoding { get; init; } = Defaults.ClassEncoding;

    /// <summary>Channels of the learned embedding (class condition with <see cref="ClassEncoding.Embedding"/>).</summary>
    public int EmbeddingDimension { get; init; } = Defaults.EmbeddingDimension;

    /// <summary>
    /// The latents' prior. Written to JSON only when it is not <see cref="LatentPrior.StandardNormal"/>, so a file without
    /// it (every file saved before the option existed) means the standard normal prior.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public LatentPrior Prior { get; init; } = LatentPrior.StandardNormal;

    /// <summary>Channels of the condition image (image condition).</summary>
    public int ConditionImageChannels { get; init; }

    /// <summary>Channels of the conditioning network's feature maps at each level (image condition).</summary>
    public int ConditionFeatureChannels { get; init; } = Defaults.ConditionFeatureChannels;

    /// <summary>Number of dimensions of one model input, C·H·W.</summary>
    public long Dimensions => (long)Channels * Height * Width;

    /// <summary>Channels of the condition feature maps every coupling of a level sees.</summary>
    public int ConditionChannels => Condition switch
    {
        ConditionKind.Image => ConditionFeatureChannels,
        _ => ClassEncoding == ClassEncoding.OneHot ? NumberOfClasses : EmbeddingDimension,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value and what is expected.</summary>
    public void Validate()
    {
        Require(Channels >= 1, $"Channels must be at least 1, got {Channels}");
        Require(Levels is >= 1 and <= 30, $"Levels must be between 1 and 30, got {Levels}");
        Require(BlocksPerLevel >= 1, $"BlocksPerLevel must be at least 1, got {BlocksPerLevel}");
        Require(HiddenChannels >= 1, $"HiddenChannels must be at least 1, got {HiddenChannels}");
        Require(SoftClamp > 0 && double.IsFinite(SoftClamp), $"SoftClamp must be a positive number, got {SoftClamp}");
        var multiple = 1 << Levels;
        Require(Height >= multiple && Height % multiple == 0 && Width >= multiple && Width % multiple == 0,
            $"a conditional INN with {Levels} levels needs height and width divisible by 2^{Levels} = {multiple}, got {Height}×{Width}; pad the images or use fewer levels");
        Require(Enum.IsDefined(Downsampling), $"Downsampling must be Haar or Squeeze, got {Downsampling}");
        Require(Enum.IsDefined(Prior), $"Prior must be StandardNormal or ClassGaussian, got {Prior}");
        Require(Prior == LatentPrior.StandardNormal || Condition == ConditionKind.Class,
            "the ClassGaussian prior needs a class condition; an image-conditioned network takes the StandardNormal prior");
        if (Condition == ConditionKind.Class)
        {
            Require(NumberOfClasses >= 2, $"NumberOfClasses must be at least 2 for a class condition, got {NumberOfClasses}");
            Require(Enum.IsDefined(ClassEncoding), $"ClassEncoding must be OneHot or Embedding, got {ClassEncoding}");
            Require(ClassEncoding == ClassEncoding.OneHot || EmbeddingDimension >= 1, $"EmbeddingDimension must be at least 1, got {EmbeddingDimension}");
        }
        else
        {
            Require(Condition == ConditionKind.Image, $"Condition must be Class or Image, got {Condition}");
            Require(ConditionImageChannels >= 1, $"ConditionImageChannels must be at least 1 for an image condition, got {ConditionImageChannels}");
            Require(ConditionFeatureChannels >= 1, $"ConditionFeatureChannels must be at least 1, got {ConditionFeatureChannels}");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
