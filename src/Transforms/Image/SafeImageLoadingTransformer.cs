using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNetFlows.Transforms.Image.Decoding;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Loads the PNG and JPEG files named by a text column into an image column (ImageAnalytics' <c>Image</c> type),
/// checking each file first: a file that is missing, unreadable, empty, not a PNG or JPEG, corrupt, truncated or
/// over <see cref="MaxPixels"/> is counted and reported in <see cref="Diagnostics"/> and, as <see cref="OnBadImage"/>
/// says, its row is skipped or the pass fails with an <see cref="ImageLoadException"/> naming path and reason.
/// Good files give the very pixels ImageAnalytics' <c>LoadImages</c> gives. Immutable apart from
/// <see cref="Diagnostics"/>. <c>mlContext.Model.Save</c> saves its settings (not its diagnostics) and
/// <c>mlContext.Model.Load</c> reads them back once the MLContext knows the loader
/// (<c>mlContext.ComponentCatalog.RegisterMLNetFlowsTransforms()</c>, or any use of <c>LoadImagesSafely</c> in it).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Transform"/> is lazy. Its cursors read <see cref="BatchSize"/> paths ahead through a second cursor on the
/// input (which therefore must give its rows in the same order to two cursors, as ML.NET's views do; a mismatch is
/// detected by row id and fails) and decode them on up to <see cref="MaxDegreeOfParallelism"/> threads. Every image is
/// checked even when the image column is not read, so that all consumers see the same rows. Skipping rows makes the
/// row count unknown. Each call of the image getter returns a new <c>MLImage</c> that the caller owns, and
/// disposes the one passed in, as ImageAnalytics' getter does.
/// </para>
/// <para>
/// One row at a time (<see cref="GetRowToRowMapper"/>, used by <c>PredictionEngine</c>) a row cannot be skipped: a bad
/// image always throws <see cref="ImageLoadException"/> there.
/// </para>
/// </remarks>
public sealed class SafeImageLoadingTransformer : ITransformer
{
    internal SafeImageLoadingTransformer(SafeImageLoadingEstimator.Options options, ImageLoadingDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName, nameof(options.OutputColumnName));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPixels, 1, nameof(options.MaxPixels));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxDegreeOfParallelism, nameof(options.MaxDegreeOfParallelism));
        if (!Enum.IsDefined(options.OnBadImage))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.OnBadImage, $"expected OnBadImage to be {BadImageHandling.Skip} or {BadImageHandling.Fail}, got {options.OnBadImage}");
        }

        OutputColumnName = options.OutputColumnName;
        InputColumnName = string.IsNullOrEmpty(options.InputColumnName) ? options.OutputColumnName : options.InputColumnName;
        ImageFolder = string.IsNullOrWhiteSpace(options.ImageFolder) ? null : options.ImageFolder;
        MaxPixels = options.MaxPixels;
        OnBadImage = options.OnBadImage;
        BatchSize = options.BatchSize;
        RequestedParallelism = options.MaxDegreeOfParallelism;
        MaxDegreeOfParallelism = options.MaxDegreeOfParallelism == 0 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;
        Diagnostics = diagnostics;
        Loader = new ImageFileLoader(ImageFolder, MaxPixels);
    }

    /// <summary>Gets the image column's name.</summary>
    public string OutputColumnName { get; }

    /// <summary>Gets the path column's name.</summary>
    public string InputColumnName { get; }

    /// <summary>Gets the folder relative paths are resolved against, or null.</summary>
    public string? ImageFolder { get; }

    /// <summary>Gets the decompression-bomb limit, in pixels.</summary>
    public long MaxPixels { get; }

    /// <summary>Gets what happens to a row whose image cannot be loaded.</summary>
    public BadImageHandling OnBadImage { get; }

    /// <summary>Gets the number of rows decoded together.</summary>
    public int BatchSize { get; }

    /// <summary>Gets the number of decoding threads per batch.</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <summary>Gets the counts and failures so far, over every pass (shared with the estimator; a loaded transformer starts with empty ones).</summary>
    public ImageLoadingDiagnostics Diagnostics { get; }

    /// <summary>Gets a value indicating whether the transformer maps one row at a time (true: see the remarks for bad images).</summary>
    public bool IsRowToRowMapper => true;

    internal ImageFileLoader Loader { get; }

    /// <summary>Gets the option <see cref="MaxDegreeOfParallelism"/> came from (0: one thread per processor), as saved.</summary>
    internal int RequestedParallelism { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The path column is missing or not a text scalar.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        _ = FindPathColumn(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(OutputColumnName, new ImageDataViewType());
        return builder.ToSchema();
    }

    /// <summary>Loads the images of <paramref name="input"/>'s path column, lazily.</summary>
    /// <param name="input">The data.</param>
    /// <returns>The data with the image column added (and bad rows left out under <see cref="BadImageHandling.Skip"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The path column is missing or not a text scalar.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new SafeImageLoadingDataView(this, input, GetOutputSchema(input.Schema), FindPathColumn(input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new SafeImageLoadingRowMapper(this, inputSchema, GetOutputSchema(inputSchema), FindPathColumn(inputSchema));
    }

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx) => SafeImageLoadingPersistence.Save(this, ctx);

    /// <summary>Loads one path and reports the outcome; <see cref="BadImageHandling.Skip"/> returns null, <see cref="BadImageHandling.Fail"/> throws.</summary>
    internal DecodedImage? Report(ImageFileLoader.Result result, BadImageHandling handling)
    {
        if (result.Failure is { } failure)
        {
            Diagnostics.RecordFailure(failure);
            return handling == BadImageHandling.Fail ? throw new ImageLoadException(failure) : null;
        }

        Diagnostics.RecordLoaded(1);
        return result.Image;
    }

    private DataViewSchema.Column FindPathColumn(DataViewSchema schema)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(InputColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Could not find input column '{InputColumnName}' (the image paths)");
        return column.Type is TextDataViewType
            ? column
            : throw new ArgumentOutOfRangeException(nameof(schema), $"Schema mismatch for input column '{InputColumnName}': expected String, got {column.Type}");
    }
}
