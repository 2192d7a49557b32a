using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Onnx.Cinn;
using MLNetFlows.Onnx.Graph;

namespace MLNetFlows.Onnx;

/// <summary>
/// Exports fitted image-conditioned INNs (<see cref="ImageConditionalInnTransformer"/>, e.g. colorization: x = the chroma
/// Cb, Cr given the lightness Y) to ONNX (opset <see cref="OnnxOpset.Version"/>), the conditioning network included. The
/// density graph takes the images and the condition images as the transformer does (planar values in [0, 255], inputs
/// named after its feature and condition columns) and outputs <see cref="ImageConditionalInnOnnxNames.LogLikelihood"/>
/// and <see cref="ImageConditionalInnOnnxNames.BitsPerDim"/>; the sampler maps latents [N, C·H·W] and condition images
/// to <see cref="ImageConditionalInnOnnxNames.Sample"/> (and, for colorization models,
/// <see cref="ImageConditionalInnOnnxNames.Colorized"/>). A row's latent is the caller's: z ~ N(0, T²·I) draws at
/// temperature T.
/// </summary>
public static class ImageConditionalInnOnnxExporter
{
    /// <summary>Writes <paramref name="model"/>'s density graph (or its sampler) to <paramref name="output"/>.</summary>
    /// <param name="model">A fitted or loaded image-conditioned INN.</param>
    /// <param name="output">The stream the ONNX file is written to.</param>
    /// <param name="direction">Density (images and condition images → likelihoods) or Sample (latent and condition image → image).</param>
    public static void Export(ImageConditionalInnTransformer model, Stream output, ConditionalInnOnnxDirection direction = ConditionalInnOnnxDirection.Density)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        var architecture = model.Architecture;
        if (architecture.Condition != ConditionKind.Image)
        {
            throw new NotSupportedException("expected an image-conditioned INN; export class-conditional ones with ConditionalInnOnnxExporter");
        }

        var weights = StateWeights.Read(model.Model, "image-conditioned INN");
        var (channels, height, width) = model.ImageShape;
        var description = new ImageConditionalInnOnnxDescription
        {
            Kind = direction == ConditionalInnOnnxDirection.Sample ? ImageConditionalInnOnnxDescription.SamplerKind : ImageConditionalInnOnnxDescription.DensityKind,
            Architecture = architecture,
            Channels = channels,
            Height = height,
            Width = width,
            Bits = model.NumberOfBits,
            IsColorization = model.IsColorization,
            FeatureColumnName = model.FeatureColumnName,
            ConditionColumnName = model.ConditionColumnName,
        };
        var proto = direction switch
        {
            ConditionalInnOnnxDirection.Density => ImageConditionalInnDensityGraph.Build(weights, description),
            ConditionalInnOnnxDirection.Sample => ImageConditionalInnSamplerGraph.Build(weights, description),
            _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "expected Density or Sample"),
        };
        OnnxFile.Write(proto, output);
    }

    /// <summary>Exports to a file, written whole or not at all (a temporary file renamed into place).</summary>
    /// <param name="model">A fitted or loaded image-conditioned INN.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="direction">Density or Sample.</param>
    public static void Export(ImageConditionalInnTransformer model, string path, ConditionalInnOnnxDirection direction = ConditionalInnOnnxDirection.Density)
    {
        ArgumentNullException.ThrowIfNull(model);
        OnnxFile.Write(path, stream => Export(model, stream, direction));
    }
}
