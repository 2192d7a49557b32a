using MLNetFlows.Models.Flows;

namespace MLNetFlows.Models.Glow;

/// <summary>
/// The hyper-parameters that fix a Glow network's shape (Kingma and Dhariwal 2018, openai/glow names in brackets).
/// The model input is [N, <see cref="Channels"/>, <see cref="Height"/>, <see cref="Width"/>] with both sides divisible
/// by 2^<see cref="Levels"/>; callers pad smaller images (see <see cref="GlowInput"/>).
/// </summary>
public sealed record GlowArchitecture
{
    /// <summary>Defaults, declared once and read by every options type that exposes them.</summary>
    public static class Defaults
    {
        /// <summary>Levels L [n_levels].</summary>
        public const int Levels = 3;

        /// <summary>Steps of flow per level K [depth].</summary>
        public const int StepsPerLevel = 8;

        /// <summary>Hidden channels of the coupling networks [width].</summary>
        public const int HiddenChannels = 128;

        /// <summary>Coupling kind [flow_coupling].</summary>
        public const CouplingKind Coupling = CouplingKind.Affine;

        /// <summary>Parameterisation of the 1×1 convolutions [flow_permutation = 2, with the LU decomposition].</summary>
        public const ConvolutionParameterization Permutation = ConvolutionParameterization.LU;

        /// <summary>Whether the top prior is learned [learntop].</summary>
        public const bool LearnTopPrior = true;
    }

    /// <summary>Image channels (1 gray, 3 RGB).</summary>
    public required int Channels { get; init; }

    /// <summary>Model-input height (after padding), divisible by 2^L.</summary>
    public required int Height { get; init; }

    /// <summary>Model-input width (after padding), divisible by 2^L.</summary>
    public required int Width { get; init; }

    /// <summary>Number of levels L, each a squeeze, K steps and (except the last) a split.</summary>
    public int Levels { get; init; } = Defaults.Levels;

    /// <summary>Steps of flow per level K.</summary>
    public int StepsPerLevel { get; init; } = Defaults.StepsPerLevel;

    /// <summary>Hidden channels of each coupling network.</summary>
    public int HiddenChannels { get; init; } = Defaults.HiddenChannels;

    /// <summary>Affine or additive coupling.</summary>
    public CouplingKind Coupling { get; init; } = Defaults.Coupling;

    /// <summary>LU-decomposed or plain 1×1 convolutions.</summary>
    public ConvolutionParameterization Permutation { get; init; } = Defaults.Permutation;

    /// <summary>α of the coupling soft clamp (Ardizzone et al. 2019), or null for openai/glow's σ(h + 2) scale.</summary>
    public double? SoftClamp { get; init; }

    /// <summary>Whether the top-level prior's mean and log-std are learned (else N(0, I)).</summary>
    public bool LearnTopPrior { get; init; } = Defaults.LearnTopPrior;

    /// <summary>Number of dimensions of one model input, C·H·W.</summary>
    public long Dimensions => (long)Channels * Height * Width;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value and what is expected.</summary>
    public void Validate()
    {
        Require(Channels >= 1, $"Channels must be at least 1, got {Channels}");
        Require(Levels is >= 1 and <= 30, $"Levels must be between 1 and 30, got {Levels}");
        Require(StepsPerLevel >= 1, $"StepsPerLevel must be at least 1, got {StepsPerLevel}");
        Require(HiddenChannels >= 1, $"HiddenChannels must be at least 1, got {HiddenChannels}");
        var multiple = 1 << Levels;
        Require(Height >= multiple && Height % multiple == 0 && Width >= multiple && Width % multiple == 0,
            $"a Glow with {Levels} levels needs height and width divisible by 2^{Levels} = {multiple}, got {Height}×{Width}; pad the images (GlowInput.PaddedSide) or use fewer levels");
        Require(SoftClamp is null or > 0, $"SoftClamp must be positive, got {SoftClamp}");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
