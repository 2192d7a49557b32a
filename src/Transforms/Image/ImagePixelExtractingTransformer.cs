using MLNetFlows.Data;
using MLNetFlows.Persistence;
using static MLNetFlows.Transforms.Image.ImagePixelExtractingEstimator;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Extracts the pixels of images of known size into a vector, as ML.NET's: the channels of
/// <see cref="ColorsToExtract"/> in <see cref="OrderOfExtraction"/>; planar <c>[planes, height, width]</c> unless
/// <see cref="InterleavePixelColors"/> (then <c>[height, width, planes]</c>); values <c>(pixel − offset) · scale</c>
/// as Single, or the bytes themselves. Gray images give equal red, green and blue; opaque images give alpha 255.
/// A missing image (one that failed to load) fails the read with an <see cref="InvalidOperationException"/> naming
/// the column and the row, never zeros: filter such rows first with <c>mlContext.Data.FilterRowsByMissingValues</c>.
/// Immutable.
/// </summary>
public sealed class ImagePixelExtractingTransformer : RowToRowTransformerBase
{
    internal const string LoaderKind = "ImagePixelExtractingTransformer";
    private readonly PixelLayout _layout;

    internal ImagePixelExtractingTransformer(string outputColumnName, string? inputColumnName, ColorBits colorsToExtract, ColorsOrder orderOfExtraction, bool interleavePixelColors, float offsetImage, float scaleImage, bool outputAsFloatArray)
    {
        OutputColumnName = Guard.NotNullOrEmpty(outputColumnName);
        InputColumnName = inputColumnName ?? outputColumnName;
        _layout = PixelLayout.Create(colorsToExtract, orderOfExtraction);
        Guard.IsTrue(float.IsFinite(offsetImage), "a finite offset", $"{offsetImage}", nameof(offsetImage));
        Guard.IsTrue(float.IsFinite(scaleImage) && scaleImage != 0, "a finite, non-zero scale", $"{scaleImage}", nameof(scaleImage));
        Guard.IsTrue(outputAsFloatArray || (offsetImage == 0 && scaleImage == 1), "offset 0 and scale 1 for byte output (outputAsFloatArray: false)", $"offset {offsetImage}, scale {scaleImage}", nameof(outputAsFloatArray));
        ColorsToExtract = colorsToExtract;
        OrderOfExtraction = orderOfExtraction;
        InterleavePixelColors = interleavePixelColors;
        OffsetImage = offsetImage;
        ScaleImage = scaleImage;
        OutputAsFloatArray = outputAsFloatArray;
    }

    /// <summary>Gets the output column name.</summary>
    public string OutputColumnName { get; }

    /// <summary>Gets the input image column name.</summary>
    public string InputColumnName { get; }

    /// <summary>Gets the extracted channels.</summary>
    public ColorBits ColorsToExtract { get; }

    /// <summary>Gets the order of the channels.</summary>
    public ColorsOrder OrderOfExtraction { get; }

    /// <summary>Gets a value indicating whether the channels of a pixel are adjacent ([height, width, planes]).</summary>
    public bool InterleavePixelColors { get; }

    /// <summary>Gets the value subtracted from each pixel value (before scaling).</summary>
    public float OffsetImage { get; }

    /// <summary>Gets the factor applied after the offset.</summary>
    public float ScaleImage { get; }

    /// <summary>Gets a value indicating whether the output is Single (true) or Byte (false).</summary>
    public bool OutputAsFloatArray { get; }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        Guard.NotNull(ctx);
        ctx.SetVersionInfo(LoaderKind, 1);
        ctx.Parameters["outputColumnName"] = OutputColumnName;
        ctx.Parameters["inputColumnName"] = InputColumnName;
        ctx.Parameters["colorsToExtract"] = (int)ColorsToExtract;
        ctx.Parameters["orderOfExtraction"] = (int)OrderOfExtraction;
        ctx.Parameters["interleavePixelColors"] = InterleavePixelColors;
        ctx.Parameters["offsetImage"] = OffsetImage;
        ctx.Parameters["scaleImage"] = ScaleImage;
        ctx.Parameters["outputAsFloatArray"] = OutputAsFloatArray;
    }

    internal static ImagePixelExtractingTransformer Load(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, 1);
        return new ImagePixelExtractingTransformer(
            ctx.GetString("outputColumnName"), ctx.GetString("inputColumnName"), (ColorBits)ctx.GetInt32("colorsToExtract"), (ColorsOrder)ctx.GetInt32("orderOfExtraction"),
            ctx.GetBoolean("interleavePixelColors"), (float)ctx.GetDouble("offsetImage"), (float)ctx.GetDouble("scaleImage"), ctx.GetBoolean("outputAsFloatArray"));
    }

    /// <inheritdoc/>
    protected override ColumnMapperBase MakeMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed class Mapper : RowColumnMapper
    {
        private readonly ImagePixelExtractingTransformer _parent;
        private readonly DataViewSchema.Column _source;
        private readonly ImageDataViewType _imageType;
        private readonly VectorDataViewType _outputType;

        public Mapper(ImagePixelExtractingTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema)
        {
            _parent = parent;
            _source = ImageColumns.RequireKnownSizeImage(inputSchema, parent.InputColumnName);
            _imageType = (ImageDataViewType)_source.Type;
            var item = parent.OutputAsFloatArray ? NumberDataViewType.Single : NumberDataViewType.Byte;
            _outputType = new VectorDataViewType(item, parent._layout.Dimensions(_imageType.Height, _imageType.Width, parent.InterleavePixelColors));
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns() => [new(_parent.OutputColumnName, _outputType)];

        protected override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_source];

        protected internal override Delegate MakeGetter(DataViewRow input, int outputIndex)
        {
            ValueGetter<MLImage> getImage = input.GetGetter<MLImage>(_source);
            MLImage image = null!;
            MLImage Read()
            {
                getImage(ref image);
                if (image is null)
                {
                    throw new InvalidOperationException(
                        $"ExtractPixels: column '{_source.Name}' has no image at row {input.Position} (the file failed to load: see the LoadImages transformer's Diagnostics and MLContext.Log). " +
                        $"Remove such rows first with mlContext.Data.FilterRowsByMissingValues(data, \"{_source.Name}\").");
                }

                if (image.Height != _imageType.Height || image.Width != _imageType.Width)
                {
                    throw new InvalidOperationException(
                        $"ExtractPixels: column '{_source.Name}' is declared {_imageType}, got a {image.Height} × {image.Width} image at row {input.Position}.");
                }

                return image;
            }

            if (_parent.OutputAsFloatArray)
            {
                float offset = _parent.OffsetImage, scale = _parent.ScaleImage;
                return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    MLImage img = Read();
                    var editor = VBufferEditor.Create(ref value, _outputType.Size);
                    Extract(img, editor.Values, (byte b) => (b - offset) * scale);
                    value = editor.Commit();
                });
            }

            return (ValueGetter<VBuffer<byte>>)((ref VBuffer<byte> value) =>
            {
                MLImage img = Read();
                var editor = VBufferEditor.Create(ref value, _outputType.Size);
                Extract(img, editor.Values, (byte b) => b);
                value = editor.Commit();
            });
        }

        private void Extract<T>(MLImage image, Span<T> output, Func<byte, T> convert)
        {
            int[] offsets = PixelLayout.SourceOffsets(image.PixelFormat);
            int[] channels = _parent._layout.Channels;
            int planes = channels.Length, stride = image.ChannelCount, pixels = image.Width * image.Height;
            ReadOnlySpan<byte> src = image.Pixels;
            bool interleaved = _parent.InterleavePixelColors;
            for (int k = 0; k < planes; k++)
            {
                int offset = offsets[channels[k]];
                T opaque = convert(255);
                for (int p = 0; p < pixels; p++)
                {
                    int dst = interleaved ? (p * planes) + k : (k * pixels) + p;
                    output[dst] = offset < 0 ? opaque : convert(src[(p * stride) + offset]);
                }
            }
        }
    }
}
