using Microsoft.ML;
using MLNetFlows.Estimators.InfoGan;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Persistence;
using MLNetFlows.Trainers.InfoGan;

namespace MLNetFlows;

/// <summary>
/// The front door to InfoGAN: <c>mlContext.Transforms.InfoGan(...)</c> trains on a pixel column and returns a
/// transformer that infers interpretable codes from images and generates images from codes; a simple overload and an
/// options overload, defaults from <see cref="InfoGanTrainerOptions.Defaults"/> and
/// <see cref="InfoGanArchitecture.Defaults"/>. Using it also makes the MLContext able to load saved InfoGAN models
/// (see <see cref="MLNetFlowsComponents.RegisterMLNetFlows"/>).
/// </summary>
public static class InfoGanCatalog
{
    /// <summary>Trains InfoGAN on a column of pixel vectors; the transformer adds Category, CategoryProbabilities and Continuous.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="imageHeight">Image height of the pixel column, divisible by 4.</param>
    /// <param name="imageWidth">Image width of the pixel column, divisible by 4.</param>
    /// <param name="featureColumnName">Column of C·H·W pixel values in [0, 255] (ExtractPixels' planar layout).</param>
    /// <param name="channels">1 gray or 3 RGB.</param>
    /// <param name="categoryCount">Classes of the categorical code.</param>
    /// <param name="continuousCodes">Continuous codes.</param>
    /// <param name="numberOfEpochs">Passes over the training rows.</param>
    /// <param name="seed">Seed of every random stream (a fixed default, not MLContext's seed: the same call gives the same model).</param>
    public static InfoGanEstimator InfoGan(this TransformsCatalog catalog, int imageHeight, int imageWidth,
        string featureColumnName = InfoGanEstimator.Options.DefaultFeatureColumnName, int channels = 1,
        int categoryCount = InfoGanArchitecture.Defaults.CategoryCount, int continuousCodes = InfoGanArchitecture.Defaults.ContinuousCodes,
        int numberOfEpochs = InfoGanTrainerOptions.Defaults.NumberOfEpochs, int seed = InfoGanTrainerOptions.Defaults.Seed) =>
        catalog.InfoGan(new InfoGanEstimator.Options
        {
            ImageHeight = imageHeight, ImageWidth = imageWidth, FeatureColumnName = featureColumnName, Channels = channels,
            CategoryCounts = [categoryCount], ContinuousCodes = continuousCodes, NumberOfEpochs = numberOfEpochs, Seed = seed,
        });

    /// <summary>Trains InfoGAN with every option.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options (validated here).</param>
    public static InfoGanEstimator InfoGan(this TransformsCatalog catalog, InfoGanEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var environment = MLNetInternals.EnvironmentOf(catalog);
        MLNetFlowsComponents.Register(environment.ComponentCatalog);
        return new InfoGanEstimator(environment, options);
    }
}
