namespace MLNetFlows.Transforms.Image;

/// <summary>Estimator of <see cref="ImageGrayscalingTransformer"/>: <c>mlContext.Transforms.ConvertToGrayscale(...)</c>.</summary>
public sealed class ImageGrayscalingEstimator : TrivialEstimator<ImageGrayscalingTransformer>
{
    internal ImageGrayscalingEstimator(ImageGrayscalingTransformer transformer)
        : base(transformer)
    {
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Guard.NotNull(inputSchema);
        SchemaShape.Column source = ImageColumns.RequireImage(inputSchema, Transformer.InputColumnName);
        return ImageColumns.With(inputSchema, ImageColumns.ImageShape(Transformer.OutputColumnName, (Data.ImageDataViewType)source.ItemType));
    }
}
