using MLNetFlows.Data;
using MLNetFlows.Persistence;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Converts images to gray, as ML.NET's: luma <c>Y = 0.3 R + 0.59 G + 0.11 B</c> (ML.NET's weights), rounded to the
/// nearest integer, and the result is opaque (alpha is dropped, as ML.NET does). Output images are
/// <see cref="MLPixelFormat.Gray8"/>, so <c>ExtractPixels</c> still reads equal red, green and blue from them: extract
/// one channel (e.g. <c>colorsToExtract: ColorBits.Red</c>) to get a single plane. The image type (size) is kept; a
/// missing image stays missing. Immutable.
/// </summary>
public sealed class ImageGrayscalingTransformer : RowToRowTransformerBase
{
    internal const string LoaderKind = "ImageGrayscalingTransformer";

    internal ImageGrayscalingTransformer(string outputColumnName, string? inputColumnName)
    {
        OutputColumnName = Guard.NotNullOrEmpty(outputColumnName);
        InputColumnName = inputColumnName ?? outputColumnName;
    }

    /// <summary>Gets the output column name.</summary>
    public string OutputColumnName { get; }

    /// <summary>Gets the input image column name.</summary>
    public string InputColumnName { get; }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        Guard.NotNull(ctx);
        ctx.SetVersionInfo(LoaderKind, 1);
        ctx.Parameters["outputColumnName"] = OutputColumnName;
        ctx.Parameters["inputColumnName"] = InputColumnName;
    }

    internal static ImageGrayscalingTransformer Load(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, 1);
        return new ImageGrayscalingTransformer(ctx.GetString("outputColumnName"), ctx.GetString("inputColumnName"));
    }

    /// <summary>The gray of an image (the image itself when already gray).</summary>
    internal static MLImage ToGray(MLImage image)
    {
        if (image.PixelFormat == MLPixelFormat.Gray8)
        {
            return image;
        }

        ReadOnlySpan<byte> src = image.Pixels;
        int c = image.ChannelCount;
        var gray = new byte[image.Width * image.Height];
        for (int p = 0, s = 0; p < gray.Length; p++, s += c)
        {
            gray[p] = (byte)(((30 * src[s]) + (59 * src[s + 1]) + (11 * src[s + 2]) + 50) / 100);
        }

        return MLImage.TakeOwnership(image.Width, image.Height, MLPixelFormat.Gray8, gray);
    }

    /// <inheritdoc/>
    protected override ColumnMapperBase MakeMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed class Mapper : RowColumnMapper
    {
        private readonly ImageGrayscalingTransformer _parent;
        private readonly DataViewSchema.Column _source;

        public Mapper(ImageGrayscalingTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema)
        {
            _parent = parent;
            _source = ImageColumns.RequireImage(inputSchema, parent.InputColumnName);
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns() => [new(_parent.OutputColumnName, _source.Type)];

        protected override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_source];

        protected internal override Delegate MakeGetter(DataViewRow input, int outputIndex)
        {
            ValueGetter<MLImage> getImage = input.GetGetter<MLImage>(_source);
            MLImage source = null!;
            return (ValueGetter<MLImage>)((ref MLImage value) =>
            {
                getImage(ref source);
                value = source is null ? null! : ToGray(source);
            });
        }
    }
}
