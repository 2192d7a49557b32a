using Microsoft.ML;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Persistence;
using MLNetFlows.Trainers.Cinn;

namespace MLNetFlows;

/// <summary>
/// The front door to the conditional INN: <c>mlContext.Transforms.ConditionalInn(...)</c> trains a class-conditional
/// invertible network (conditional density, Bayes classification usable with <c>MulticlassClassification.Evaluate</c>,
/// class-conditional sampling), with a simple overload and an options overload; defaults come from
/// <see cref="ConditionalInnTrainerOptions.Defaults"/>. Using it also makes the MLContext able to load saved models.
/// </summary>
public static class ConditionalInnCatalog
{
    /// <summary>Trains a class-conditional INN on a pixel column and a label column.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="imageHeight">Image height of the pixel column.</param>
    /// <param name="imageWidth">Image width of the pixel column.</param>
    /// <param name="featureColumnName">Column of C·H·W pixel values in [0, 255] (ExtractPixels' planar layout).</param>
    /// <param name="labelColumnName">Column of class labels: a key (one value per class) or Int32 class indices 0 … K − 1.</param>
    /// <param name="channels">Image channels.</param>
    /// <param name="numberOfEpochs">Passes over the training rows.</param>
    /// <param name="batchSize">Images per step.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    public static ConditionalInnTrainer ConditionalInn(this TransformsCatalog catalog, int imageHeight, int imageWidth,
        string featureColumnName = ConditionalInnTrainerOptions.Defaults.FeatureColumnName,
        string labelColumnName = ConditionalInnTrainerOptions.Defaults.LabelColumnName, int channels = 1,
        int numberOfEpochs = ConditionalInnTrainerOptions.Defaults.NumberOfEpochs, int batchSize = ConditionalInnTrainerOptions.Defaults.BatchSize,
        double learningRate = ConditionalInnTrainerOptions.Defaults.LearningRate) =>
        catalog.ConditionalInn(new ConditionalInnTrainerOptions
        {
            ImageHeight = imageHeight, ImageWidth = imageWidth, FeatureColumnName = featureColumnName, LabelColumnName = labelColumnName,
            Channels = channels, NumberOfEpochs = numberOfEpochs, BatchSize = batchSize, LearningRate = learningRate,
        });

    /// <summary>Trains a class-conditional INN with every option.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options (validated here).</param>
    public static ConditionalInnTrainer ConditionalInn(this TransformsCatalog catalog, ConditionalInnTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var environment = MLNetInternals.EnvironmentOf(catalog);
        MLNetFlowsComponents.Register(environment.ComponentCatalog);
        return new ConditionalInnTrainer(environment, options);
    }
}
