using Microsoft.ML;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Estimator of <see cref="SafeImageLoadingTransformer"/>: <c>mlContext.Transforms.LoadImagesSafely(...)</c>, a
/// drop-in for ImageAnalytics' <c>LoadImages</c> that checks every file, and skips or fails on bad ones instead of
/// ending the whole enumeration. Nothing is learned: <see cref="Fit"/> checks the input column and returns the
/// transformer.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Column</term><description>Type</description></listheader>
/// <item><term>Input</term><description>Text scalar (<c>String</c>): an image path, relative to the image folder or absolute.</description></item>
/// <item><term>Output</term><description><c>Image</c> (ImageAnalytics' <c>ImageDataViewType</c>, any size): an <c>MLImage</c> with the pixels
/// ImageAnalytics' <c>LoadImages</c> gives for the same file, so <c>ResizeImages</c>, <c>ConvertToGrayscale</c> and
/// <c>ExtractPixels</c> follow unchanged.</description></item>
/// </list>
/// </remarks>
public sealed class SafeImageLoadingEstimator : IEstimator<SafeImageLoadingTransformer>
{
    private readonly SafeImageLoadingTransformer _transformer;

    internal SafeImageLoadingEstimator(Options options)
    {
        _transformer = new SafeImageLoadingTransformer(options, new ImageLoadingDiagnostics());
    }

    /// <summary>
    /// Gets the counts and failures of every transformer this estimator fits (they share it), with the event raised
    /// when a file first fails: subscribe before running the pipeline to log bad files.
    /// </summary>
    public ImageLoadingDiagnostics Diagnostics => _transformer.Diagnostics;

    /// <summary>Checks that the input has the path column and returns the transformer (the same one on every call).</summary>
    /// <param name="input">The data.</param>
    /// <returns>The transformer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The path column is missing or not text.</exception>
    public SafeImageLoadingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _ = _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ImageColumnShape.Add(inputSchema, _transformer.OutputColumnName, _transformer.InputColumnName);
    }

    /// <summary>All the settings of <c>LoadImagesSafely</c>. Immutable once built.</summary>
    public sealed class Options
    {
        /// <summary>Gets the image column to create.</summary>
        public required string OutputColumnName { get; init; }

        /// <summary>Gets the text column of paths; null for <see cref="OutputColumnName"/>.</summary>
        public string? InputColumnName { get; init; }

        /// <summary>Gets the folder relative paths are resolved against; null or blank to use paths as they are.</summary>
        public string? ImageFolder { get; init; }

        /// <summary>
        /// Gets the decompression-bomb limit in pixels (width × height): a file whose header declares more, or more than
        /// 65 535 per side, is refused before any pixel memory is allocated (default <see cref="Defaults.MaxPixels"/>).
        /// </summary>
        public long MaxPixels { get; init; } = Defaults.MaxPixels;

        /// <summary>Gets what happens to a row whose image cannot be loaded (default <see cref="Defaults.OnBadImage"/>).</summary>
        public BadImageHandling OnBadImage { get; init; } = Defaults.OnBadImage;

        /// <summary>Gets how many rows a cursor reads ahead and decodes together (default <see cref="Defaults.BatchSize"/>).</summary>
        public int BatchSize { get; init; } = Defaults.BatchSize;

        /// <summary>
        /// Gets how many threads decode the images of one batch; 0 for one per processor (default
        /// <see cref="Defaults.MaxDegreeOfParallelism"/>), 1 to decode on the cursor's thread.
        /// </summary>
        public int MaxDegreeOfParallelism { get; init; } = Defaults.MaxDegreeOfParallelism;
    }

    /// <summary>The defaults of <c>LoadImagesSafely</c>, read by both overloads.</summary>
    public static class Defaults
    {
        /// <summary>100 megapixels: a 10 000 × 10 000 photo passes, a bomb's 60 000 × 60 000 header does not.</summary>
        public const long MaxPixels = 100_000_000;

        /// <summary>A bad image's row is skipped: counted, reported, and left out.</summary>
        public const BadImageHandling OnBadImage = BadImageHandling.Skip;

        /// <summary>64 rows per batch: enough to keep two cores busy, small enough to stay in cache.</summary>
        public const int BatchSize = 64;

        /// <summary>One decoding thread per processor.</summary>
        public const int MaxDegreeOfParallelism = 0;
    }
}
