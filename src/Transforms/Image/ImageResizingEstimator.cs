using MLNetFlows.Data;

namespace MLNetFlows.Transforms.Image;

/// <summary>Estimator of <see cref="ImageResizingTransformer"/>: <c>mlContext.Transforms.ResizeImages(...)</c>.</summary>
public sealed class ImageResizingEstimator : TrivialEstimator<ImageResizingTransformer>
{
    internal ImageResizingEstimator(ImageResizingTransformer transformer)
        : base(transformer)
    {
    }

    /// <summary>How an image is fitted into the requested size (the values are persisted: never change them).</summary>
#pragma warning disable CA1028 // Justified: byte-backed exactly as ML.NET's ImageResizingEstimator.ResizingKind.
    public enum ResizingKind : byte
#pragma warning restore CA1028
    {
        /// <summary>Keeps the aspect ratio and fits the whole image, centred, padding the rest with opaque black.</summary>
        IsoPad = 0,

        /// <summary>Keeps the aspect ratio and fills the whole output, cropping what overflows (where: see <see cref="Anchor"/>).</summary>
        IsoCrop = 1,

        /// <summary>Stretches the image to the output size, ignoring the aspect ratio.</summary>
        Fill = 2,
    }

    /// <summary>Which part of the image <see cref="ResizingKind.IsoCrop"/> keeps (the values are persisted: never change them).</summary>
#pragma warning disable CA1028 // Justified: byte-backed exactly as ML.NET's ImageResizingEstimator.Anchor.
    public enum Anchor : byte
#pragma warning restore CA1028
    {
        /// <summary>Keeps the right edge when the width is cropped (centre when the height is).</summary>
        Right = 0,

        /// <summary>Keeps the left edge when the width is cropped (centre when the height is).</summary>
        Left = 1,

        /// <summary>Keeps the top edge when the height is cropped (centre when the width is).</summary>
        Top = 2,

        /// <summary>Keeps the bottom edge when the height is cropped (centre when the width is).</summary>
        Bottom = 3,

        /// <summary>Keeps the centre.</summary>
        Center = 4,
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Guard.NotNull(inputSchema);
        _ = ImageColumns.RequireImage(inputSchema, Transformer.InputColumnName);
        return ImageColumns.With(inputSchema, ImageColumns.ImageShape(Transformer.OutputColumnName, new ImageDataViewType(Transformer.ImageHeight, Transformer.ImageWidth)));
    }

    /// <summary>The defaults of <c>ResizeImages</c>, as ML.NET's.</summary>
    public static class Defaults
    {
        /// <summary>Keep the aspect ratio and crop.</summary>
        public const ResizingKind Resizing = ResizingKind.IsoCrop;

        /// <summary>Keep the centre.</summary>
        public const Anchor CropAnchor = Anchor.Center;
    }
}
