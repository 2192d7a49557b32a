using MLNetFlows.Data;
using MLNetFlows.Persistence;
using static MLNetFlows.Transforms.Image.ImagePixelExtractingEstimator;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Converts pixel vectors (Single, Double or Byte, of size planes × height × width) back to images, as ML.NET's:
/// the vector holds the channels of <see cref="ColorsPresent"/> in <see cref="OrderOfColors"/>, planar unless
/// <see cref="InterleavedColors"/>; each value becomes <c>round(value · scaleImage − offsetImage)</c> (scale first,
/// then offset — so undoing <c>ExtractPixels(offsetImage: o, scaleImage: s)</c> takes <c>scaleImage: 1/s</c>,
/// <c>offsetImage: −o</c>). Channels not present take the defaults. Unlike ML.NET, values are always rounded
/// (half to even) and saturated to [0, 255] instead of truncated or wrapped, absent alpha is the default alpha even
/// when scaling, and NaN fails with a message naming the row. An empty vector gives a missing image. Output images
/// are <see cref="MLPixelFormat.Rgba32"/> when alpha is present or the default alpha is not 255, otherwise
/// <see cref="MLPixelFormat.Rgb24"/>. Immutable.
/// </summary>
public sealed class VectorToImageConvertingTransformer : RowToRowTransformerBase
{
    internal const string LoaderKind = "VectorToImageConvertingTransformer";
    internal const string Expected = "a known-size vector of Single, Double or Byte";
    private readonly PixelLayout _layout;

    internal VectorToImageConvertingTransformer(int imageHeight, int imageWidth, string outputColumnName, string? inputColumnName, ColorBits colorsPresent, ColorsOrder orderOfColors, bool interleavedColors, float scaleImage, float offsetImage, int[] defaults)
    {
        OutputColumnName = Guard.NotNullOrEmpty(outputColumnName);
        InputColumnName = inputColumnName ?? outputColumnName;
        Guard.MustBeGreaterThan(imageHeight, 0);
        Guard.MustBeGreaterThan(imageWidth, 0);
        _layout = PixelLayout.Create(colorsPresent, orderOfColors);
        Guard.IsTrue((long)imageHeight * imageWidth * _layout.Planes <= Array.MaxLength, $"at most {Array.MaxLength} values", $"{imageHeight} × {imageWidth} × {_layout.Planes}", nameof(imageHeight));
        Guard.IsTrue(float.IsFinite(offsetImage), "a finite offset", $"{offsetImage}", nameof(offsetImage));
        Guard.IsTrue(float.IsFinite(scaleImage) && scaleImage != 0, "a finite, non-zero scale", $"{scaleImage}", nameof(scaleImage));
        Guard.IsTrue(defaults.Length == 4 && defaults.All(d => d is >= 0 and <= 255), "default alpha, red, green and blue in [0, 255]", string.Join(", ", defaults), nameof(defaults));
        ImageHeight = imageHeight;
        ImageWidth = imageWidth;
        ColorsPresent = colorsPresent;
        OrderOfColors = orderOfColors;
        InterleavedColors = interleavedColors;
        ScaleImage = scaleImage;
        OffsetImage = offsetImage;
        (DefaultAlpha, DefaultRed, DefaultGreen, DefaultBlue) = (defaults[0], defaults[1], defaults[2], defaults[3]);
    }

    /// <summary>Gets the output column name.</summary>
    public string OutputColumnName { get; }

    /// <summary>Gets the input vector column name.</summary>
    public string InputColumnName { get; }

    /// <summary>Gets the image height.</summary>
    public int ImageHeight { get; }

    /// <summary>Gets the image width.</summary>
    public int ImageWidth { get; }

    /// <summary>Gets the channels the vectors hold.</summary>
    public ColorBits ColorsPresent { get; }

    /// <summary>Gets the order of the channels in the vectors.</summary>
    public ColorsOrder OrderOfColors { get; }

    /// <summary>Gets a value indicating whether the channels of a pixel are adjacent.</summary>
    public bool InterleavedColors { get; }

    /// <summary>Gets the factor applied to each value first.</summary>
    public float ScaleImage { get; }

    /// <summary>Gets the value subtracted after scaling.</summary>
    public float OffsetImage { get; }

    /// <summary>Gets the alpha of images whose vectors hold none.</summary>
    public int DefaultAlpha { get; }

    /// <summary>Gets the red of images whose vectors hold none.</summary>
    public int DefaultRed { get; }

    /// <summary>Gets the green of images whose vectors hold none.</summary>
    public int DefaultGreen { get; }

    /// <summary>Gets the blue of images whose vectors hold none.</summary>
    public int DefaultBlue { get; }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        Guard.NotNull(ctx);
        ctx.SetVersionInfo(LoaderKind, 1);
        ctx.Parameters["outputColumnName"] = OutputColumnName;
        ctx.Parameters["inputColumnName"] = InputColumnName;
        ctx.Parameters["imageHeight"] = ImageHeight;
        ctx.Parameters["imageWidth"] = ImageWidth;
        ctx.Parameters["colorsPresent"] = (int)ColorsPresent;
        ctx.Parameters["orderOfColors"] = (int)OrderOfColors;
        ctx.Parameters["interleavedColors"] = InterleavedColors;
        ctx.Parameters["scaleImage"] = ScaleImage;
        ctx.Parameters["offsetImage"] = OffsetImage;
        ctx.Parameters["defaults"] = new System.Text.Json.Nodes.JsonArray(DefaultAlpha, DefaultRed, DefaultGreen, DefaultBlue);
    }

    internal static VectorToImageConvertingTransformer Load(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, 1);
        return new VectorToImageConvertingTransformer(
            ctx.GetInt32("imageHeight"), ctx.GetInt32("imageWidth"), ctx.GetString("outputColumnName"), ctx.GetString("inputColumnName"),
            (ColorBits)ctx.GetInt32("colorsPresent"), (ColorsOrder)ctx.GetInt32("orderOfColors"), ctx.GetBoolean("interleavedColors"),
            (float)ctx.GetDouble("scaleImage"), (float)ctx.GetDouble("offsetImage"), ctx.GetInt32s("defaults"));
    }

    /// <inheritdoc/>
    protected override ColumnMapperBase MakeMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed class Mapper : RowColumnMapper
    {
        private readonly VectorToImageConvertingTransformer _parent;
        private readonly DataViewSchema.Column _source;
        private readonly MLPixelFormat _format;

        public Mapper(VectorToImageConvertingTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema)
        {
            _parent = parent;
            int size = parent._layout.Planes * parent.ImageHeight * parent.ImageWidth;
            string expected = $"{Expected} with {size} items ({parent._layout.Planes} × {parent.ImageHeight} × {parent.ImageWidth})";
            _source = InputColumns.Require(inputSchema, parent.InputColumnName, t => t is VectorDataViewType v && v.Size == size && VectorToImageConvertingEstimator.IsPixelItem(v.ItemType), expected);
            _format = parent._layout.HasAlpha || parent.DefaultAlpha != 255 ? MLPixelFormat.Rgba32 : MLPixelFormat.Rgb24;
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns() =>
            [new(_parent.OutputColumnName, new ImageDataViewType(_parent.ImageHeight, _parent.ImageWidth))];

        protected override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_source];

        protected internal override Delegate MakeGetter(DataViewRow input, int outputIndex)
        {
            DataViewType item = ((VectorDataViewType)_source.Type).ItemType;
            return item == NumberDataViewType.Single ? Make<float>(input, v => v)
                : item == NumberDataViewType.Double ? Make<double>(input, v => (float)v)
                : Make<byte>(input, v => v);
        }

        private ValueGetter<MLImage> Make<T>(DataViewRow input, Func<T, float> toFloat)
        {
            ValueGetter<VBuffer<T>> getVector = input.GetGetter<VBuffer<T>>(_source);
            VBuffer<T> vector = default;
            return (ref MLImage value) =>
            {
                getVector(ref vector);
                ReadOnlySpan<T> values = vector.GetValues();
                value = values.Length == 0 ? null! : Convert(values, toFloat, input.Position);
            };
        }

        private MLImage Convert<T>(ReadOnlySpan<T> values, Func<T, float> toFloat, long row)
        {
            VectorToImageConvertingTransformer p = _parent;
            int pixels = p.ImageHeight * p.ImageWidth, planes = p._layout.Planes, c = (int)_format;
            var output = new byte[pixels * c];
            byte[] defaults = [(byte)p.DefaultRed, (byte)p.DefaultGreen, (byte)p.DefaultBlue, (byte)p.DefaultAlpha];
            for (int px = 0; px < pixels; px++)
            {
                for (int k = 0; k < c; k++)
                {
                    output[(px * c) + k] = defaults[k];
                }
            }

            int[] channels = p._layout.Channels;
            for (int k = 0; k < planes; k++)
            {
                for (int px = 0; px < pixels; px++)
                {
                    int index = p.InterleavedColors ? (px * planes) + k : (k * pixels) + px;
                    float v = (toFloat(values[index]) * p.ScaleImage) - p.OffsetImage;
                    if (float.IsNaN(v))
                    {
                        throw new InvalidOperationException($"ConvertToImage: column '{_source.Name}' has NaN at index {index} of row {row}: a pixel must be a number.");
                    }

                    output[(px * c) + channels[k]] = (byte)Math.Clamp(MathF.Round(v), 0, 255);
                }
            }

            return MLImage.TakeOwnership(p.ImageWidth, p.ImageHeight, _format, output);
        }
    }
}
