using MLNetFlows.Data;

namespace MLNetFlows.Transforms.Image;

/// <summary>Estimator of <see cref="VectorToImageConvertingTransformer"/>: <c>mlContext.Transforms.ConvertToImage(...)</c>.</summary>
public sealed class VectorToImageConvertingEstimator : TrivialEstimator<VectorToImageConvertingTransformer>
{
    internal VectorToImageConvertingEstimator(VectorToImageConvertingTransformer transformer)
        : base(transformer)
    {
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Guard.NotNull(inputSchema);
        _ = InputColumns.Require(inputSchema, Transformer.InputColumnName, c => c.Kind == SchemaShape.Column.VectorKind.Vector && !c.IsKey && IsPixelItem(c.ItemType), VectorToImageConvertingTransformer.Expected);
        return ImageColumns.With(inputSchema, ImageColumns.ImageShape(Transformer.OutputColumnName, new ImageDataViewType(Transformer.ImageHeight, Transformer.ImageWidth)));
    }

    internal static bool IsPixelItem(DataViewType item) =>
        item == NumberDataViewType.Single || item == NumberDataViewType.Double || item == NumberDataViewType.Byte;

    /// <summary>The defaults of <c>ConvertToImage</c>, as ML.NET's (colours and order: <see cref="ImagePixelExtractingEstimator.Defaults"/>).</summary>
    public static class Defaults
    {
        /// <summary>No scaling.</summary>
        public const float Scale = 1f;

        /// <summary>No offset.</summary>
        public const float Offset = 0f;

        /// <summary>Opaque, when the vector holds no alpha.</summary>
        public const int DefaultAlpha = 255;

        /// <summary>Red when the vector holds none.</summary>
        public const int DefaultRed = 0;

        /// <summary>Green when the vector holds none.</summary>
        public const int DefaultGreen = 0;

        /// <summary>Blue when the vector holds none.</summary>
        public const int DefaultBlue = 0;
    }
}
