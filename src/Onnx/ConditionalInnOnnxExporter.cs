using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Onnx.Cinn;
using MLNetFlows.Onnx.Graph;
using MLNetFlows.OnnxScoring;

namespace MLNetFlows.Onnx;

/// <summary>
/// Exports fitted class-conditional INNs (<see cref="ConditionalInnTransformer"/>) to ONNX, to score with ONNX Runtime —
/// ML.NET's <c>ApplyOnnxModel</c> or MLNetFlows.OnnxScoring's batched <see cref="ConditionalInnOnnxTransformer"/> (opset
/// <see cref="OnnxOpset.Version"/>). The class condition is an input of both graphs, float32 one-hot rows [N, K]
/// (<see cref="ConditionalInnOnnxNames.Condition"/>; ML.NET's <c>Conversion.MapKeyToVector</c> of the label key gives it):
/// one input form for one-hot and learned-embedding encodings alike (the embedding is a constant the graph multiplies),
/// and in the sampler a mixture of classes interpolates the condition. The density graph scores every image under every
/// class at once (<see cref="ConditionalInnOnnxNames.Score"/>, <see cref="ConditionalInnOnnxNames.PredictedLabel"/>,
/// <see cref="ConditionalInnOnnxNames.ClassLogLikelihood"/>, which ignore the condition) and reads the condition's class
/// for <see cref="ConditionalInnOnnxNames.LogLikelihood"/> and <see cref="ConditionalInnOnnxNames.BitsPerDim"/>.
/// The sampler maps latents [N, C·H·W] and conditions to images.
/// </summary>
public static class ConditionalInnOnnxExporter
{
    /// <summary>Writes <paramref name="model"/>'s density graph (or its sampler) to <paramref name="output"/>.</summary>
    /// <param name="model">A fitted or loaded class-conditional INN.</param>
    /// <param name="output">The stream the ONNX file is written to.</param>
    /// <param name="direction">Density (pixels and condition → likelihoods, posterior, class) or Sample (latent and condition → image).</param>
    public static void Export(ConditionalInnTransformer model, Stream output, ConditionalInnOnnxDirection direction = ConditionalInnOnnxDirection.Density)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        var architecture = model.Architecture;
        if (architecture.Condition != ConditionKind.Class)
        {
            throw new NotSupportedException("this conditional INN is conditioned on images: export it with ImageConditionalInnOnnxExporter");
        }

        var weights = StateWeights.Read(model.Model, "conditional INN");
        var (channels, height, width) = model.ImageShape;
        var description = new ConditionalInnOnnxDescription
        {
            Kind = direction == ConditionalInnOnnxDirection.Sample ? ConditionalInnOnnxKind.Sampler : ConditionalInnOnnxKind.Density,
            Channels = channels,
            Height = height,
            Width = width,
            Bits = model.NumberOfBits,
            Levels = architecture.Levels,
            NumberOfClasses = architecture.NumberOfClasses,
            LatentDimensions = architecture.Dimensions,
            FeatureColumnName = model.FeatureColumnName,
            LabelColumnName = model.LabelColumnName,
        };
        var proto = direction switch
        {
            ConditionalInnOnnxDirection.Density => ConditionalInnDensityGraph.Build(weights, architecture, description, model.ClassLogPriors),
            ConditionalInnOnnxDirection.Sample => ConditionalInnSamplerGraph.Build(weights, architecture, description),
            _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "expected Density or Sample"),
        };
        OnnxFile.Write(proto, output);
    }

    /// <summary>Exports to a file, written whole or not at all (a temporary file renamed into place).</summary>
    /// <param name="model">A fitted or loaded class-conditional INN.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="direction">Density or Sample.</param>
    public static void Export(ConditionalInnTransformer model, string path, ConditionalInnOnnxDirection direction = ConditionalInnOnnxDirection.Density)
    {
        ArgumentNullException.ThrowIfNull(model);
        OnnxFile.Write(path, stream => Export(model, stream, direction));
    }
}
