using System.Globalization;

namespace MLNetFlows.Models.InfoGan;

/// <summary>
/// The hyper-parameters that fix an InfoGAN's shape (Chen et al. 2016, the MNIST setup of the paper's appendix and of
/// openai/InfoGAN). The latent vector fed to the generator is [noise | one-hot of each categorical code | continuous
/// codes]; the noise and the continuous codes are uniform in [−1, 1], each categorical code uniform over its classes.
/// Images are [N, <see cref="Channels"/>, <see cref="Height"/>, <see cref="Width"/>] with values in [0, 1]; both sides
/// must be divisible by 4 (two stride-2 convolutions down, two stride-2 up-convolutions up).
/// </summary>
public sealed record InfoGanArchitecture
{
    /// <summary>Defaults, declared once and read by every options type that exposes them (the paper's MNIST setup).</summary>
    public static class Defaults
    {
        /// <summary>Incompressible noise variables z.</summary>
        public const int NoiseSize = 62;

        /// <summary>Classes of the (single, by default) categorical code.</summary>
        public const int CategoryCount = 10;

        /// <summary>Continuous codes, each uniform in [−1, 1].</summary>
        public const int ContinuousCodes = 2;

        /// <summary>Width of the fully connected layers of the generator and the shared discriminator body.</summary>
        public const int HiddenUnits = 1024;

        /// <summary>Channels of the first convolution of D and of the last hidden up-convolution of G (the other has twice as many).</summary>
        public const int ConvolutionChannels = 64;

        /// <summary>Width of the Q head's hidden layer.</summary>
        public const int RecognitionUnits = 128;

        /// <summary>Negative slope of the leaky ReLUs of D and Q (the paper's 0.1).</summary>
        public const double LeakySlope = 0.1;

        /// <summary>Whether Q learns the standard deviation of the continuous codes (else it is fixed at 1, as openai/InfoGAN's MNIST run).</summary>
        public const bool LearnContinuousStd = false;
    }

    /// <summary>Image channels (1 gray, 3 RGB).</summary>
    public required int Channels { get; init; }

    /// <summary>Image height, divisible by 4.</summary>
    public required int Height { get; init; }

    /// <summary>Image width, divisible by 4.</summary>
    public required int Width { get; init; }

    /// <summary>Incompressible noise variables z (may be 0).</summary>
    public int NoiseSize { get; init; } = Defaults.NoiseSize;

    /// <summary>Number of classes of each categorical code (several codes allowed, none allowed).</summary>
    public IReadOnlyList<int> CategoryCounts { get; init; } = [Defaults.CategoryCount];

    /// <summary>Continuous codes, each uniform in [−1, 1] (may be 0).</summary>
    public int ContinuousCodes { get; init; } = Defaults.ContinuousCodes;

    /// <summary>Width of the fully connected hidden layers of G and of the shared D/Q body.</summary>
    public int HiddenUnits { get; init; } = Defaults.HiddenUnits;

    /// <summary>Channels of D's first convolution and G's hidden up-convolution; the second convolution of D and G's reshaped layer have twice as many.</summary>
    public int ConvolutionChannels { get; init; } = Defaults.ConvolutionChannels;

    /// <summary>Width of the Q head's hidden layer.</summary>
    public int RecognitionUnits { get; init; } = Defaults.RecognitionUnits;

    /// <summary>Negative slope of the leaky ReLUs of D and Q.</summary>
    public double LeakySlope { get; init; } = Defaults.LeakySlope;

    /// <summary>Whether Q predicts a log standard deviation per continuous code (else σ = 1).</summary>
    public bool LearnContinuousStd { get; init; } = Defaults.LearnContinuousStd;

    /// <summary>Sum of the categorical codes' class counts (width of their one-hot block and of Q's logits).</summary>
    public int CategoryUnits => CategoryCounts.Sum();

    /// <summary>Width of the latent vector: noise + one-hot categorical codes + continuous codes.</summary>
    public int LatentSize => NoiseSize + CategoryUnits + ContinuousCodes;

    /// <summary>Number of values of one image, C·H·W.</summary>
    public long Dimensions => (long)Channels * Height * Width;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value and what is expected.</summary>
    public void Validate()
    {
        Require(Channels >= 1, $"Channels must be at least 1, got {Channels}");
        Require(Height >= 4 && Height % 4 == 0 && Width >= 4 && Width % 4 == 0,
            $"InfoGAN needs image height and width divisible by 4 (two stride-2 convolutions), got {Height}×{Width}; resize or pad the images");
        Require(NoiseSize >= 0, $"NoiseSize must be at least 0, got {NoiseSize}");
        Require(CategoryCounts is not null, "CategoryCounts must not be null; use an empty list for no categorical code");
        foreach (var count in CategoryCounts!)
        {
            Require(count >= 2, $"every categorical code needs at least 2 classes, got {count} in [{string.Join(", ", CategoryCounts)}]");
        }

        Require(ContinuousCodes >= 0, $"ContinuousCodes must be at least 0, got {ContinuousCodes}");
        Require(CategoryCounts.Count + ContinuousCodes >= 1, "InfoGAN needs at least one code: set CategoryCounts or ContinuousCodes");
        Require(HiddenUnits >= 1, $"HiddenUnits must be at least 1, got {HiddenUnits}");
        Require(ConvolutionChannels >= 1, $"ConvolutionChannels must be at least 1, got {ConvolutionChannels}");
        Require(RecognitionUnits >= 1, $"RecognitionUnits must be at least 1, got {RecognitionUnits}");
        Require(LeakySlope is >= 0 and < 1, string.Create(CultureInfo.InvariantCulture, $"LeakySlope must be in [0, 1), got {LeakySlope}"));
    }

    /// <inheritdoc/>
    public bool Equals(InfoGanArchitecture? other) =>
        other is not null && Channels == other.Channels && Height == other.Height && Width == other.Width
        && NoiseSize == other.NoiseSize && CategoryCounts.SequenceEqual(other.CategoryCounts)
        && ContinuousCodes == other.ContinuousCodes && HiddenUnits == other.HiddenUnits
        && ConvolutionChannels == other.ConvolutionChannels && RecognitionUnits == other.RecognitionUnits
        && LeakySlope.Equals(other.LeakySlope) && LearnContinuousStd == other.LearnContinuousStd;

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(HashCode.Combine(Channels, Height, Width, NoiseSize, string.Join(",", CategoryCounts)), ContinuousCodes, HiddenUnits, ConvolutionChannels, RecognitionUnits, LeakySlope, LearnContinuousStd);

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
