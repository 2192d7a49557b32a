using MLNetFlows.Data;
using MLNetFlows.Persistence;
using static MLNetFlows.Transforms.Image.ImageResizingEstimator;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Resizes images to <see cref="ImageWidth"/> × <see cref="ImageHeight"/> with a bilinear filter (pixel-centre
/// aligned, as OpenCV INTER_LINEAR and PyTorch <c>align_corners=False</c>; see <see cref="Resizing"/> and
/// <see cref="CropAnchor"/> for the fitting). The output column has type <c>Image&lt;height, width&gt;</c> and keeps
/// each image's pixel format; a missing image stays missing. Immutable.
/// </summary>
public sealed class ImageResizingTransformer : RowToRowTransformerBase
{
    internal const string LoaderKind = "ImageResizingTransformer";

    internal ImageResizingTransformer(string outputColumnName, int imageWidth, int imageHeight, string? inputColumnName, ResizingKind resizing, Anchor cropAnchor)
    {
        OutputColumnName = Guard.NotNullOrEmpty(outputColumnName);
        InputColumnName = inputColumnName ?? outputColumnName;
        Guard.MustBeGreaterThan(imageWidth, 0);
        Guard.MustBeGreaterThan(imageHeight, 0);
        Guard.IsTrue((long)imageWidth * imageHeight * 4 <= Array.MaxLength, $"at most {Array.MaxLength / 4} pixels", $"{imageWidth} × {imageHeight}", nameof(imageWidth));
        Guard.IsTrue(Enum.IsDefined(resizing), "a defined ResizingKind", resizing.ToString(), nameof(resizing));
        Guard.IsTrue(Enum.IsDefined(cropAnchor), "a defined Anchor", cropAnchor.ToString(), nameof(cropAnchor));
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
        Resizing = resizing;
        CropAnchor = cropAnchor;
    }

    /// <summary>Gets the output column name.</summary>
    public string OutputColumnName { get; }

    /// <summary>Gets the input image column name.</summary>
    public string InputColumnName { get; }

    /// <summary>Gets the output width in pixels.</summary>
    public int ImageWidth { get; }

    /// <summary>Gets the output height in pixels.</summary>
    public int ImageHeight { get; }

    /// <summary>Gets how images are fitted.</summary>
    public ResizingKind Resizing { get; }

    /// <summary>Gets which part <see cref="ResizingKind.IsoCrop"/> keeps.</summary>
    public Anchor CropAnchor { get; }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        Guard.NotNull(ctx);
        ctx.SetVersionInfo(LoaderKind, 1);
        ctx.Parameters["outputColumnName"] = OutputColumnName;
        ctx.Parameters["inputColumnName"] = InputColumnName;
        ctx.Parameters["imageWidth"] = ImageWidth;
        ctx.Parameters["imageHeight"] = ImageHeight;
        ctx.Parameters["resizing"] = Resizing.ToString();
        ctx.Parameters["cropAnchor"] = CropAnchor.ToString();
    }

    internal static ImageResizingTransformer Load(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, 1);
        return new ImageResizingTransformer(
            ctx.GetString("outputColumnName"), ctx.GetInt32("imageWidth"), ctx.GetInt32("imageHeight"), ctx.GetString("inputColumnName"),
            ParseEnum<ResizingKind>(ctx, "resizing"), ParseEnum<Anchor>(ctx, "cropAnchor"));
    }

    /// <inheritdoc/>
    protected override ColumnMapperBase MakeMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private static T ParseEnum<T>(ModelLoadContext ctx, string name)
        where T : struct, Enum =>
        Enum.TryParse(ctx.GetString(name), ignoreCase: false, out T value) && Enum.IsDefined(value)
            ? value
            : throw ctx.Error($"expected '{name}' to be one of [{string.Join(", ", Enum.GetNames<T>())}], got '{ctx.GetString(name)}'");

    private sealed class Mapper : RowColumnMapper
    {
        private readonly ImageResizingTransformer _parent;
        private readonly DataViewSchema.Column _source;

        public Mapper(ImageResizingTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema)
        {
            _parent = parent;
            _source = ImageColumns.RequireImage(inputSchema, parent.InputColumnName);
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns() =>
            [new(_parent.OutputColumnName, new ImageDataViewType(_parent.ImageHeight, _parent.ImageWidth))];

        protected override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_source];

        protected internal override Delegate MakeGetter(DataViewRow input, int outputIndex)
        {
            ValueGetter<MLImage> getImage = input.GetGetter<MLImage>(_source);
            MLImage source = null!;
            return (ValueGetter<MLImage>)((ref MLImage value) =>
            {
                getImage(ref source);
                value = source is null ? null! : BilinearResampler.Resize(source, _parent.ImageWidth, _parent.ImageHeight, _parent.Resizing, _parent.CropAnchor);
            });
        }
    }
}
