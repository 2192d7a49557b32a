using Microsoft.ML;
using MLNetFlows.Estimators;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Estimators.InfoGan;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Trainers.InfoGan;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Onnx.Tests;

/// <summary>
/// Small class-conditional INNs and InfoGANs trained for a few steps on Fashion-MNIST with explicit architectures (the
/// tests do not depend on the defaults), saved and loaded back so the exporters see what a loaded model holds.
/// </summary>
public static class TinyConditionalModels
{
    /// <summary>The conditional INN architectures the parity tests cover.</summary>
    public enum CinnVariant
    {
        /// <summary>Haar downsampling, one-hot classes, L = 2 (28×28 unpadded), 8 bits, α = 1.9.</summary>
        HaarOneHot,

        /// <summary>Squeeze, a learned class embedding, L = 3 (padded to 32×32), 5 bits, α = 1.2.</summary>
        SqueezeEmbeddingPaddedFiveBits,

        /// <summary>As <see cref="HaarOneHot"/> with the learned class prior, trained 4 epochs so its tables move away from N(0, I).</summary>
        HaarOneHotClassPrior,
    }

    /// <summary>The colorization INN architectures the parity tests cover (x = chroma Cb, Cr; condition = lightness Y).</summary>
    public enum ColorizationVariant
    {
        /// <summary>16×16 patches, Haar downsampling, L = 2 (unpadded), 8 bits, α = 1.9, 4 feature channels (narrow convolutions).</summary>
        HaarSixteen,

        /// <summary>14×14 patches padded to 16×16, squeeze, L = 2, 5 bits, α = 1.2, 12 feature channels (plain convolutions).</summary>
        SqueezePaddedFiveBits,
    }

    /// <summary>The patch side of a colorization variant.</summary>
    internal static int Side(ColorizationVariant variant) => variant == ColorizationVariant.HaarSixteen ? 16 : 14;

    /// <summary>Held-out wallpaper patches for <paramref name="variant"/>: Condition (Y), Features (Cb, Cr), Color (RGB).</summary>
    internal static IDataView ColorizationTestPatches(MLContext ml, ColorizationVariant variant, int count) =>
        ml.Data.Cache(ml.Data.LoadWallpaperPatches(ColorPatchSplit.Test, count, patchSize: Side(variant)));

    internal static ImageConditionalInnTransformer Colorization(ColorizationVariant variant)
    {
        var side = Side(variant);
        var options = new ConditionalInnTrainerOptions
        {
            ImageHeight = side, ImageWidth = side, Channels = 2, Condition = ConditionKind.Image, ConditionImageChannels = 1,
            Levels = 2, BlocksPerLevel = 2, HiddenChannels = 16, ConditionFeatureChannels = 4, Downsampling = DownsamplingKind.Haar,
            SoftClamp = 1.9, NumberOfBits = 8, BatchSize = 16, NumberOfEpochs = 1, LearningRate = 2e-3, ValidationFraction = 0,
            ScoringBatchSize = 64, Seed = 3,
        };
        if (variant == ColorizationVariant.SqueezePaddedFiveBits)
        {
            options.Downsampling = DownsamplingKind.Squeeze;
            options.ConditionFeatureChannels = 12;
            options.SoftClamp = 1.2;
            options.NumberOfBits = 5;
        }

        var ml = new MLContext(1);
        using var trained = ml.Transforms.ImageConditionalInn(options).Fit(ml.Data.LoadWallpaperPatches(ColorPatchSplit.Train, 128, patchSize: side));
        return (ImageConditionalInnTransformer)Reload(ml, trained);
    }

    internal static ConditionalInnTransformer Cinn(CinnVariant variant)
    {
        var options = new ConditionalInnTrainerOptions
        {
            ImageHeight = 28, ImageWidth = 28, NumberOfClasses = 10, Levels = 2, BlocksPerLevel = 2, HiddenChannels = 16,
            Downsampling = DownsamplingKind.Haar, ClassEncoding = ClassEncoding.OneHot, SoftClamp = 1.9, NumberOfBits = 8,
            BatchSize = 32, NumberOfEpochs = 1, LearningRate = 2e-3, ValidationFraction = 0, ScoringBatchSize = 64, Seed = 3,
        };
        if (variant == CinnVariant.SqueezeEmbeddingPaddedFiveBits)
        {
            options.Levels = 3;
            options.Downsampling = DownsamplingKind.Squeeze;
            options.ClassEncoding = ClassEncoding.Embedding;
            options.EmbeddingDimension = 4;
            options.SoftClamp = 1.2;
            options.NumberOfBits = 5;
        }
        else if (variant == CinnVariant.HaarOneHotClassPrior)
        {
            options.LatentPrior = LatentPrior.ClassGaussian;
            options.NumberOfEpochs = 4;
            options.LearningRate = 1e-2;
        }

        var ml = new MLContext(1);
        using var trained = ml.Transforms.ConditionalInn(options).Fit(ml.Data.LoadFashionMnist(FashionMnistSplit.Train, 128));
        return (ConditionalInnTransformer)Reload(ml, trained);
    }

    internal static InfoGanTransformer InfoGan(IReadOnlyList<int> categoryCounts)
    {
        var options = new InfoGanEstimator.Options
        {
            ImageHeight = 28, ImageWidth = 28, NoiseSize = 8, CategoryCounts = categoryCounts, ContinuousCodes = 2, HiddenUnits = 32,
            ConvolutionChannels = 8, RecognitionUnits = 16, LeakySlope = 0.1, BatchSize = 32, NumberOfEpochs = 2, Seed = 5,
            OnModeCollapse = ModeCollapseAction.Warn, InferenceBatchSize = 64,
            WeightInitialization = InfoGanWeightInitialization.LibTorch, // N(0, 0.02²) leaves networks this narrow nearly constant after 2 epochs
        };
        var ml = new MLContext(1);
        using var trained = ml.Transforms.InfoGan(options).Fit(ml.Data.LoadFashionMnist(FashionMnistSplit.Train, 128));
        return (InfoGanTransformer)Reload(ml, trained);
    }

    private static ITransformer Reload(MLContext ml, ITransformer trained)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(trained, null, stream);
        stream.Position = 0;
        return TinyGlows.FreshContext().Model.Load(stream, out _);
    }
}
