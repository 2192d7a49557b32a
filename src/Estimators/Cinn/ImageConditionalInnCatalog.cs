using Microsoft.ML;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Persistence;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows;

/// <summary>
/// The front door to the image-conditioned INN: <c>mlContext.Transforms.ConditionalInnColorization(...)</c> trains the
/// conditional INN paper's colorization model (x = the chroma Cb, Cr of <see cref="YCbCrColor"/>, condition = the
/// lightness Y; the columns <c>mlContext.Data.LoadWallpaperPatches</c> gives), and
/// <c>mlContext.Transforms.ImageConditionalInn(options)</c> any image-conditioned one with every option
/// (<see cref="ConditionalInnTrainerOptions.Condition"/> = <see cref="ConditionKind.Image"/>). Using either makes the
/// MLContext able to load saved models.
/// </summary>
public static class ImageConditionalInnCatalog
{
    /// <summary>Trains a colorization INN: the 2 chroma channels in <paramref name="featureColumnName"/> given the lightness in <paramref name="conditionColumnName"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="imageHeight">Image height.</param>
    /// <param name="imageWidth">Image width.</param>
    /// <param name="featureColumnName">Column of the chroma: 2·H·W values in [0, 255] (Cb plane, Cr plane).</param>
    /// <param name="conditionColumnName">Column of the lightness: H·W values in [0, 255].</param>
    /// <param name="numberOfEpochs">Passes over the training rows.</param>
    /// <param name="batchSize">Images per step.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    public static ImageConditionalInnTrainer ConditionalInnColorization(this TransformsCatalog catalog, int imageHeight, int imageWidth,
        string featureColumnName = ColorPatchColumns.Features, string conditionColumnName = ColorPatchColumns.Condition,
        int numberOfEpochs = ConditionalInnTrainerOptions.Defaults.NumberOfEpochs, int batchSize = ConditionalInnTrainerOptions.Defaults.BatchSize,
        double learningRate = ConditionalInnTrainerOptions.Defaults.LearningRate) =>
        catalog.ImageConditionalInn(new ConditionalInnTrainerOptions
        {
            ImageHeight = imageHeight, ImageWidth = imageWidth, Channels = 2, Condition = ConditionKind.Image, ConditionImageChannels = 1,
            FeatureColumnName = featureColumnName, ConditionColumnName = conditionColumnName,
            NumberOfEpochs = numberOfEpochs, BatchSize = batchSize, LearningRate = learningRate,
        });

    /// <summary>Trains an image-conditioned INN with every option; <paramref name="options"/>' Condition must be Image.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options (validated here).</param>
    public static ImageConditionalInnTrainer ImageConditionalInn(this TransformsCatalog catalog, ConditionalInnTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var environment = MLNetInternals.EnvironmentOf(catalog);
        MLNetFlowsComponents.Register(environment.ComponentCatalog);
        return new ImageConditionalInnTrainer(environment, options);
    }
}
