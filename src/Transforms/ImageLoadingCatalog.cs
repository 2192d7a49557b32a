using Microsoft.ML;
using MLNetFlows.Persistence;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows;

/// <summary>
/// Safe image loading on <c>mlContext.Transforms</c>: <c>LoadImagesSafely</c>, a drop-in for ImageAnalytics'
/// <c>LoadImages</c> that checks every PNG and JPEG file (structure, checksums, truncation, decompression bombs) and
/// skips or fails on a bad one, counted and reported by path and reason, instead of ending the whole job. Using it also
/// makes the MLContext able to load saved models that contain it (see
/// <see cref="MLNetFlowsTransformsComponents.RegisterMLNetFlowsTransforms"/>).
/// </summary>
public static class ImageLoadingCatalog
{
    /// <summary>
    /// Loads the PNG and JPEG files named in <paramref name="inputColumnName"/> into an image column that
    /// ImageAnalytics' <c>ResizeImages</c>, <c>ConvertToGrayscale</c> and <c>ExtractPixels</c> take. A file that cannot
    /// be loaded is counted and reported in <see cref="SafeImageLoadingEstimator.Diagnostics"/>, and its row is
    /// skipped (<see cref="BadImageHandling.Skip"/>, the default) or the pass fails with an
    /// <see cref="ImageLoadException"/> naming the file and the reason (<see cref="BadImageHandling.Fail"/>).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The image column to create.</param>
    /// <param name="imageFolder">The folder relative paths are resolved against; null to use paths as they are.</param>
    /// <param name="inputColumnName">The text column of paths; null for <paramref name="outputColumnName"/>.</param>
    /// <param name="onBadImage">Skip the row of a bad image, or fail the pass.</param>
    /// <returns>The estimator.</returns>
    public static SafeImageLoadingEstimator LoadImagesSafely(
        this TransformsCatalog catalog,
        string outputColumnName,
        string? imageFolder,
        string? inputColumnName = null,
        BadImageHandling onBadImage = SafeImageLoadingEstimator.Defaults.OnBadImage) =>
        LoadImagesSafely(catalog, new SafeImageLoadingEstimator.Options
        {
            OutputColumnName = outputColumnName,
            ImageFolder = imageFolder,
            InputColumnName = inputColumnName,
            OnBadImage = onBadImage,
        });

    /// <summary>Loads image files as <paramref name="options"/> say (size limit, batching and decoding threads too).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The settings.</param>
    /// <returns>The estimator.</returns>
    public static SafeImageLoadingEstimator LoadImagesSafely(this TransformsCatalog catalog, SafeImageLoadingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var estimator = new SafeImageLoadingEstimator(options);
        MLNetInternals.EnvironmentOf(catalog).ComponentCatalog.RegisterMLNetFlowsTransforms();
        return estimator;
    }
}
