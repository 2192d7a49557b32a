using MLNetFlows.Trainers.InfoGan;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>
/// Training options that keep a run to a few seconds on <see cref="ShapesData"/> (96 images: 6 steps per epoch). Networks this
/// narrow start nearly constant under openai/InfoGAN's N(0, 0.02²) weights and barely move in 60 steps, so they keep
/// libtorch's initialisation (<see cref="InfoGanTrainingTests"/> checks the default one on the paper's widths).
/// </summary>
internal static class TinyTraining
{
    public static InfoGanTrainerOptions Options() => new()
    {
        Channels = 1, ImageHeight = ShapesData.Side, ImageWidth = ShapesData.Side, NoiseSize = 4, CategoryCounts = [3], ContinuousCodes = 2,
        HiddenUnits = 32, ConvolutionChannels = 8, RecognitionUnits = 16, BatchSize = 16, NumberOfEpochs = 4, Seed = 5,
        ModeCollapseWarmupSteps = 36, WeightInitialization = InfoGanWeightInitialization.LibTorch,
    };
}
