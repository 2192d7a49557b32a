using MLNetFlows.Data;
using MLNetFlows.Persistence;
using MLNetFlows.Torch.Imaging;
using static MLNetFlows.Transforms.Image.ImageLoadingEstimator;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Loads PNG and JPEG files named by a text column into images of any size (type <c>Image</c>, 0 × 0 as ML.NET),
/// keeping the channels the files store (Gray8, Rgb24 or Rgba32). Relative paths are resolved against
/// <see cref="ImageFolder"/>. Cursors read <see cref="BatchSize"/> rows ahead and decode them on up to
/// <see cref="MaxDegreeOfParallelism"/> threads. A file that is missing (or vanished), unreadable, empty, not an
/// image, corrupt, truncated or over <see cref="MaxPixels"/> is handled as <see cref="OnBadImage"/> says; it is
/// always counted in <see cref="Diagnostics"/>, and logged once per file through <see cref="MLContext.Log"/>.
/// Immutable apart from <see cref="Diagnostics"/>.
/// </summary>
public sealed class ImageLoadingTransformer : RowToRowTransformerBase
{
    internal const string LoaderKind = "ImageLoadingTransformer";
    internal const string Expected = "a text scalar (String) of image paths";
    private const string LogSource = "LoadImages";
    private readonly MLContext _context;

    internal ImageLoadingTransformer(MLContext context, Options options)
    {
        _context = Guard.NotNull(context);
        Guard.NotNull(options);
        OutputColumnName = Guard.NotNullOrEmpty(options.OutputColumnName);
        InputColumnName = options.InputColumnName ?? options.OutputColumnName;
        ImageFolder = string.IsNullOrEmpty(options.ImageFolder) ? null : options.ImageFolder;
        MaxPixels = Guard.MustBeGreaterThan(options.MaxPixels, 0);
        Guard.IsTrue(Enum.IsDefined(options.OnBadImage), "a defined BadImageHandling", options.OnBadImage.ToString(), nameof(options));
        OnBadImage = options.OnBadImage;
        BatchSize = (int)Guard.MustBeGreaterThan(options.BatchSize, 0);
        MaxDegreeOfParallelism = (int)Guard.MustBeGreaterThanOrEqualTo(options.MaxDegreeOfParallelism, 0);
    }

    /// <summary>Gets the output image column name.</summary>
    public string OutputColumnName { get; }

    /// <summary>Gets the input path column name.</summary>
    public string InputColumnName { get; }

    /// <summary>Gets the folder relative paths are resolved against, or null.</summary>
    public string? ImageFolder { get; }

    /// <summary>Gets the decompression-bomb limit, in pixels.</summary>
    public long MaxPixels { get; }

    /// <summary>Gets what happens to a row whose image cannot be loaded.</summary>
    public BadImageHandling OnBadImage { get; }

    /// <summary>Gets the number of rows decoded together.</summary>
    public int BatchSize { get; }

    /// <summary>Gets the number of decoding threads per batch (0: one per processor).</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <summary>Gets the failures and successes counted so far, over every pass.</summary>
    public ImageLoadingDiagnostics Diagnostics { get; } = new();

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        Guard.NotNull(ctx);
        ctx.SetVersionInfo(LoaderKind, 1);
        ctx.Parameters["outputColumnName"] = OutputColumnName;
        ctx.Parameters["inputColumnName"] = InputColumnName;
        ctx.Parameters["imageFolder"] = ImageFolder ?? string.Empty;
        ctx.Parameters["maxPixels"] = MaxPixels;
        ctx.Parameters["onBadImage"] = OnBadImage.ToString();
        ctx.Parameters["batchSize"] = BatchSize;
        ctx.Parameters["maxDegreeOfParallelism"] = MaxDegreeOfParallelism;
    }

    internal static ImageLoadingTransformer Load(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, 1);
        string policy = ctx.GetString("onBadImage");
        if (!Enum.TryParse(policy, ignoreCase: false, out BadImageHandling onBadImage) || !Enum.IsDefined(onBadImage))
        {
            throw ctx.Error($"expected 'onBadImage' to be one of [{string.Join(", ", Enum.GetNames<BadImageHandling>())}], got '{policy}'");
        }

        return new ImageLoadingTransformer(ctx.Context, new Options
        {
            OutputColumnName = ctx.GetString("outputColumnName"),
            InputColumnName = ctx.GetString("inputColumnName"),
            ImageFolder = ctx.GetString("imageFolder"),
            MaxPixels = ctx.GetInt64("maxPixels"),
            OnBadImage = onBadImage,
            BatchSize = ctx.GetInt32("batchSize"),
            MaxDegreeOfParallelism = ctx.GetInt32("maxDegreeOfParallelism"),
        });
    }

    /// <inheritdoc/>
    protected override ColumnMapperBase MakeMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private string Resolve(ReadOnlySpan<char> path) =>
        ImageFolder is null || path.IsEmpty ? path.ToString() : Path.Combine(ImageFolder, path.ToString());

    /// <summary>Loads one image; a failure is returned, not thrown.</summary>
    private (MLImage? Image, ImageDecodeException? Error) TryLoad(string path)
    {
        if (path.Length == 0)
        {
            return (null, new ImageDecodeException(path, "the path is empty"));
        }

        try
        {
            return (ImageFileReader.Read(path, MaxPixels), null);
        }
        catch (ImageDecodeException e)
        {
            return (null, e);
        }
    }

    private sealed class Mapper : BatchedColumnMapper
    {
        private readonly ImageLoadingTransformer _parent;
        private readonly DataViewSchema.Column _source;

        public Mapper(ImageLoadingTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema, parent.BatchSize)
        {
            _parent = parent;
            _source = InputColumns.Require(inputSchema, parent.InputColumnName, t => t is TextDataViewType, Expected);
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns() => [new(_parent.OutputColumnName, new ImageDataViewType())];

        protected override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_source];

        protected internal override void MapBatch(RowBatch batch)
        {
            ReadOnlySpan<ReadOnlyMemory<char>> input = batch.GetInput<ReadOnlyMemory<char>>(_source);
            var paths = new string[batch.Count];
            for (int i = 0; i < paths.Length; i++)
            {
                paths[i] = _parent.Resolve(input[i].Span);
            }

            var results = new (MLImage? Image, ImageDecodeException? Error)[paths.Length];
            int threads = _parent.MaxDegreeOfParallelism == 0 ? Environment.ProcessorCount : _parent.MaxDegreeOfParallelism;
            if (threads > 1 && paths.Length > 1)
            {
                Parallel.For(0, paths.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => results[i] = _parent.TryLoad(paths[i]));
            }
            else
            {
                for (int i = 0; i < paths.Length; i++)
                {
                    results[i] = _parent.TryLoad(paths[i]);
                }
            }

            Span<MLImage> output = batch.GetOutput<MLImage>(0);
            int loaded = 0;
            for (int i = 0; i < results.Length; i++)
            {
                output[i] = results[i].Image!;
                if (results[i].Error is ImageDecodeException error)
                {
                    Report(error);
                }
                else
                {
                    loaded++;
                }
            }

            _parent.Diagnostics.RecordLoaded(loaded);
        }

        private void Report(ImageDecodeException error)
        {
            var failure = new ImageLoadFailure(error.Path ?? string.Empty, error.Reason);
            bool first = _parent.Diagnostics.RecordFailure(failure);
            if (_parent.OnBadImage == BadImageHandling.Throw)
            {
                _parent._context.WriteLog(ChannelMessageKind.Error, LogSource, $"{failure}; failing the pass (OnBadImage = Throw).");
                throw error;
            }

            if (first)
            {
                _parent._context.WriteLog(ChannelMessageKind.Warning, LogSource, $"{failure}; the row's image is missing (failure {_parent.Diagnostics.FailureCount} so far).");
            }
        }
    }
}
