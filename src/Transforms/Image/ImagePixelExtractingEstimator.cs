using MLNetFlows.Data;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Estimator of <see cref="ImagePixelExtractingTransformer"/>: <c>mlContext.Transforms.ExtractPixels(...)</c>.
/// Turns images of known size into vectors of <c>(pixel − offsetImage) · scaleImage</c> (Single) or raw bytes.
/// </summary>
public sealed partial class ImagePixelExtractingEstimator : TrivialEstimator<ImagePixelExtractingTransformer>
{
    internal ImagePixelExtractingEstimator(ImagePixelExtractingTransformer transformer)
        : base(transformer)
    {
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Guard.NotNull(inputSchema);
        _ = ImageColumns.RequireKnownSizeImage(inputSchema, Transformer.InputColumnName);
        var item = Transformer.OutputAsFloatArray ? NumberDataViewType.Single : NumberDataViewType.Byte;
        return ImageColumns.With(inputSchema, new SchemaShape.Column(Transformer.OutputColumnName, SchemaShape.Column.VectorKind.Vector, item, isKey: false));
    }

    /// <summary>The defaults of <c>ExtractPixels</c>, as ML.NET's.</summary>
    public static class Defaults
    {
        /// <summary>Red, green, blue.</summary>
        public const ColorBits Colors = ColorBits.Rgb;

        /// <summary>Alpha, red, green, blue.</summary>
        public const ColorsOrder Order = ColorsOrder.ARGB;

        /// <summary>Planar: all of the first channel, then all of the second, ...</summary>
        public const bool Interleave = false;

        /// <summary>Single values.</summary>
        public const bool Convert = true;

        /// <summary>No offset.</summary>
        public const float Offset = 0f;

        /// <summary>No scaling.</summary>
        public const float Scale = 1f;
    }
}
