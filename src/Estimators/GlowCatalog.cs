using Microsoft.ML;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Persistence;
using MLNetFlows.Trainers.Glow;

namespace MLNetFlows;

/// <summary>
/// The front door to Glow: <c>mlContext.Transforms.Glow(...)</c> for density scoring and generation,
/// <c>mlContext.AnomalyDetection.Trainers.Glow(...)</c> for likelihood-based anomaly detection, each with a simple
/// overload and an options overload; defaults come from <see cref="GlowTrainerOptions.Defaults"/>. Using any of them
/// also makes the MLContext able to load saved Glow models (see <see cref="MLNetFlowsComponents.RegisterMLNetFlows"/>).
/// </summary>
public static class GlowCatalog
{
    /// <summary>Trains Glow on a column of pixel vectors; the transformer adds LogLikelihood, BitsPerDim and LevelBitsPerDim.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="imageHeight">Image height of the pixel column.</param>
    /// <param name="imageWidth">Image width of the pixel column.</param>
    /// <param name="featureColumnName">Column of C·H·W pixel values in [0, 255] (ExtractPixels' planar layout).</param>
    /// <param name="channels">1 gray or 3 RGB.</param>
    /// <param name="numberOfEpochs">Passes over the training rows.</param>
    /// <param name="batchSize">Images per step.</param>
    /// <param name="learningRate">Peak learning rate.</param>
    public static GlowTrainer Glow(this TransformsCatalog catalog, int imageHeight, int imageWidth,
        string featureColumnName = GlowTrainerOptions.Defaults.FeatureColumnName, int channels = 1,
        int numberOfEpochs = GlowTrainerOptions.Defaults.NumberOfEpochs, int batchSize = GlowTrainerOptions.Defaults.BatchSize,
        double learningRate = GlowTrainerOptions.Defaults.LearningRate) =>
        catalog.Glow(new GlowTrainerOptions
        {
            ImageHeight = imageHeight, ImageWidth = imageWidth, FeatureColumnName = featureColumnName, Channels = channels,
            NumberOfEpochs = numberOfEpochs, BatchSize = batchSize, LearningRate = learningRate,
        });

    /// <summary>Trains Glow with every option.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options (validated here).</param>
    public static GlowTrainer Glow(this TransformsCatalog catalog, GlowTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var environment = MLNetInternals.EnvironmentOf(catalog);
        MLNetFlowsComponents.Register(environment.ComponentCatalog);
        return new GlowTrainer(environment, options);
    }

    /// <summary>Trains Glow on normal images and fits a threshold; the transformer adds ML.NET's Score and PredictedLabel.</summary>
    /// <param name="catalog">The anomaly detection trainers.</param>
    /// <param name="imageHeight">Image height of the pixel column.</param>
    /// <param name="imageWidth">Image width of the pixel column.</param>
    /// <param name="featureColumnName">Column of C·H·W pixel values in [0, 255].</param>
    /// <param name="channels">1 gray or 3 RGB.</param>
    /// <param name="scoreKind">Raw bits/dim or the complexity-corrected score.</param>
    /// <param name="numberOfEpochs">Passes over the training rows.</param>
    public static GlowAnomalyTrainer Glow(this AnomalyDetectionCatalog.AnomalyDetectionTrainers catalog, int imageHeight, int imageWidth,
        string featureColumnName = GlowTrainerOptions.Defaults.FeatureColumnName, int channels = 1,
        AnomalyScoreKind scoreKind = GlowAnomalyOptions.Defaults.ScoreKind, int numberOfEpochs = GlowTrainerOptions.Defaults.NumberOfEpochs) =>
        catalog.Glow(new GlowAnomalyOptions
        {
            ImageHeight = imageHeight, ImageWidth = imageWidth, FeatureColumnName = featureColumnName, Channels = channels,
            ScoreKind = scoreKind, NumberOfEpochs = numberOfEpochs,
        });

    /// <summary>Trains a Glow anomaly detector with every option.</summary>
    /// <param name="catalog">The anomaly detection trainers.</param>
    /// <param name="options">The options (validated here).</param>
    public static GlowAnomalyTrainer Glow(this AnomalyDetectionCatalog.AnomalyDetectionTrainers catalog, GlowAnomalyOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var environment = MLNetInternals.EnvironmentOf(catalog);
        MLNetFlowsComponents.Register(environment.ComponentCatalog);
        return new GlowAnomalyTrainer(environment, options);
    }

    /// <summary>
    /// The same detector with another threshold, like ML.NET's <c>ChangeModelThreshold</c> (whose overload accepts only
    /// ML.NET's own sealed <c>AnomalyPredictionTransformer</c>). The new detector shares the model's weights.
    /// </summary>
    /// <param name="catalog">The anomaly detection catalog.</param>
    /// <param name="model">A fitted detector.</param>
    /// <param name="threshold">Rows with Score above it are predicted anomalous.</param>
    public static GlowAnomalyTransformer ChangeModelThreshold(this AnomalyDetectionCatalog catalog, GlowAnomalyTransformer model, float threshold)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        if (float.IsNaN(threshold))
        {
            throw new ArgumentException("the threshold must be a number, got NaN", nameof(threshold));
        }

        return model.WithThreshold(threshold);
    }
}
