using MLNetFlows.Data;
using MLNetFlows.Torch.Imaging;

namespace MLNetFlows.Transforms.Image;

/// <summary>Estimator of <see cref="ImageLoadingTransformer"/>: <c>mlContext.Transforms.LoadImages(...)</c>.</summary>
public sealed class ImageLoadingEstimator : TrivialEstimator<ImageLoadingTransformer>
{
    internal ImageLoadingEstimator(ImageLoadingTransformer transformer)
        : base(transformer)
    {
    }

    /// <summary>What happens to a row whose image cannot be loaded (the values are persisted: never change them).</summary>
    public enum BadImageHandling
    {
        /// <summary>
        /// The row's image is missing (null, as ML.NET represents a missing image); the failure is counted in
        /// <see cref="ImageLoadingTransformer.Diagnostics"/> and logged once per file as a warning through
        /// <see cref="MLContext.Log"/>. Resizing and grayscale keep it missing; <c>ExtractPixels</c> refuses it, so
        /// drop such rows with <c>mlContext.Data.FilterRowsByMissingValues</c>.
        /// </summary>
        MarkMissing = 0,

        /// <summary>The first bad image (in row order) fails the pass with an <see cref="ImageDecodeException"/> naming its path and reason.</summary>
        Throw = 1,
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Guard.NotNull(inputSchema);
        _ = InputColumns.Require(inputSchema, Transformer.InputColumnName, c => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.ItemType is TextDataViewType, ImageLoadingTransformer.Expected);
        return ImageColumns.With(inputSchema, ImageColumns.ImageShape(Transformer.OutputColumnName, new ImageDataViewType()));
    }

    /// <summary>All the settings of <c>LoadImages</c>.</summary>
    public sealed class Options
    {
        /// <summary>Gets the output image column.</summary>
        public required string OutputColumnName { get; init; }

        /// <summary>Gets the input text column of paths; null for <see cref="OutputColumnName"/>.</summary>
        public string? InputColumnName { get; init; }

        /// <summary>Gets the folder relative paths are resolved against; null or empty to use paths as they are.</summary>
        public string? ImageFolder { get; init; }

        /// <summary>
        /// Gets the decompression-bomb limit in pixels (width × height): a file whose header declares more is refused
        /// before any pixel memory is allocated (default <see cref="ImageDecodeOptions.Defaults.MaxPixels"/>).
        /// </summary>
        public long MaxPixels { get; init; } = ImageDecodeOptions.Defaults.MaxPixels;

        /// <summary>Gets what happens to a row whose image cannot be loaded (default <see cref="Defaults.BadImageHandling"/>).</summary>
        public BadImageHandling OnBadImage { get; init; } = Defaults.BadImageHandling;

        /// <summary>Gets how many rows a cursor reads ahead and decodes together (default <see cref="Defaults.BatchSize"/>).</summary>
        public int BatchSize { get; init; } = Defaults.BatchSize;

        /// <summary>
        /// Gets how many threads decode the images of one batch; 0 for one per processor (default
        /// <see cref="Defaults.MaxDegreeOfParallelism"/>), 1 to decode on the cursor's thread.
        /// </summary>
        public int MaxDegreeOfParallelism { get; init; } = Defaults.MaxDegreeOfParallelism;
    }

    /// <summary>The defaults of <c>LoadImages</c>.</summary>
    public static class Defaults
    {
        /// <summary>A bad image makes the row's image missing, counted and logged.</summary>
        public const BadImageHandling BadImageHandling = ImageLoadingEstimator.BadImageHandling.MarkMissing;

        /// <summary>64 rows per batch: enough to keep two cores busy, small enough to stay in cache.</summary>
        public const int BatchSize = 64;

        /// <summary>One decoding thread per processor.</summary>
        public const int MaxDegreeOfParallelism = 0;
    }
}
