using MLNetFlows.Models.InfoGan;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>Small InfoGAN shapes that keep each test to seconds.</summary>
internal static class TinyArchitectures
{
    /// <summary>Gray 8×8 images, 4 noise variables, one 3-class code, 2 continuous codes, narrow layers.</summary>
    public static InfoGanArchitecture Gray8 => new()
    {
        Channels = 1, Height = 8, Width = 8, NoiseSize = 4, CategoryCounts = [3], ContinuousCodes = 2,
        HiddenUnits = 32, ConvolutionChannels = 8, RecognitionUnits = 16,
    };

    /// <summary>RGB 12×8 images with two categorical codes (3 and 4 classes), one continuous code and learned σ.</summary>
    public static InfoGanArchitecture Rgb12x8 => new()
    {
        Channels = 3, Height = 12, Width = 8, NoiseSize = 5, CategoryCounts = [3, 4], ContinuousCodes = 1,
        HiddenUnits = 24, ConvolutionChannels = 6, RecognitionUnits = 10, LearnContinuousStd = true,
    };
}
