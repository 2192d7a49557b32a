namespace MLNetFlows.Onnx;

/// <summary>
/// Input and output names of the graphs <see cref="ImageConditionalInnOnnxExporter"/> writes. The inputs are named after
/// the transformer's columns: the images scored (its feature column, <c>Features</c> by default: for colorization the
/// chroma Cb, Cr) and the condition images (its condition column, <c>Condition</c> by default: the lightness Y); the
/// outputs carry the names of the transformer's columns.
/// </summary>
public static class ImageConditionalInnOnnxNames
{
    /// <summary>Density output: log p(x | c) in nats of the 8-bit image given the row's condition image, [N].</summary>
    public const string LogLikelihood = "LogLikelihood";

    /// <summary>Density output: −log₂ p(x | c) per original pixel value given the row's condition image, [N].</summary>
    public const string BitsPerDim = "BitsPerDim";

    /// <summary>Sampler input: the concatenated latents [N, C·H·W] of the model, finest level first.</summary>
    public const string Latent = "Latent";

    /// <summary>Sampler output: the decoded model-space image [N, C, H, W], about [−½, ½], cropped to the image size.</summary>
    public const string Image = "Image";

    /// <summary>Sampler output: the decoded image quantised to the model's bits, pixel values in [0, 255], [N, C, H, W] (the transformer's Sample column).</summary>
    public const string Sample = "Sample";

    /// <summary>
    /// Sampler output of colorization models: the condition's lightness with the sampled chroma as planar RGB in [0, 255],
    /// [N, 3, H, W] (the transformer's Colorized column).
    /// </summary>
    public const string Colorized = "Colorized";
}
