using Google.Protobuf;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Onnx.Glow;
using MLNetFlows.OnnxScoring;
using Onnx;

namespace MLNetFlows.Onnx;

/// <summary>
/// Exports fitted Glow transformers to ONNX (opset <see cref="Graph.OnnxOpset.Version"/>), to score with ONNX Runtime —
/// ML.NET's <c>ApplyOnnxModel</c> or MLNetFlows.OnnxScoring's batched <c>GlowOnnxTransformer</c> — without TorchSharp.
/// The density graph takes the pixel column as the transformer does (planar values in [0, 255], [N, C, H, W] with a
/// dynamic batch N) and outputs the transformer's columns with their names; the sampler maps the concatenated latent
/// [N, D] to images. The weights are read once at export; the file's metadata (<see cref="GlowOnnxDescription"/>)
/// records the geometry, bits and, for detectors, the threshold.
/// </summary>
public static class GlowOnnxExporter
{
    /// <summary>Writes <paramref name="model"/>'s density graph (or its sampler) to <paramref name="output"/>.</summary>
    /// <param name="model">A fitted or loaded density model.</param>
    /// <param name="output">The stream the ONNX file is written to.</param>
    /// <param name="direction">Density (pixels → likelihood) or Sample (latent → image).</param>
    public static void Export(GlowTransformer model, Stream output, GlowOnnxDirection direction = GlowOnnxDirection.Density)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        var weights = GlowWeights.Read(model.Model);
        var description = Describe(model, direction == GlowOnnxDirection.Sample ? GlowOnnxKind.Sampler : GlowOnnxKind.Density, threshold: null);
        var proto = direction switch
        {
            GlowOnnxDirection.Density => GlowDensityGraph.Build(weights, description, model.OutputLatent, threshold: null, description.ToMetadata()),
            GlowOnnxDirection.Sample => GlowSamplerGraph.Build(weights, description, description.ToMetadata()),
            _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "expected Density or Sample"),
        };
        Write(proto, output);
    }

    /// <summary>
    /// Writes <paramref name="detector"/>'s density graph with its <c>Score</c> and <c>PredictedLabel</c> (or, with
    /// <see cref="GlowOnnxDirection.Sample"/>, its density model's sampler). A complexity-corrected detector's graph
    /// takes the PNG bits/dim of each image as a second input, <c>ComplexityBitsPerDim</c> [N, 1] (PNG compression has
    /// no ONNX operator); MLNetFlows.OnnxScoring's scorer computes it as the TorchSharp detector does.
    /// </summary>
    /// <param name="detector">A fitted or loaded anomaly detector.</param>
    /// <param name="output">The stream the ONNX file is written to.</param>
    /// <param name="direction">Density (pixels → score) or Sample (latent → image).</param>
    public static void Export(GlowAnomalyTransformer detector, Stream output, GlowOnnxDirection direction = GlowOnnxDirection.Density)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(output);
        if (direction == GlowOnnxDirection.Sample)
        {
            Export(detector.Density, output, direction);
            return;
        }

        var weights = GlowWeights.Read(detector.Density.Model);
        var scoreKind = detector.ScoreKind == AnomalyScoreKind.ComplexityCorrected ? GlowOnnxScoreKind.ComplexityCorrected : GlowOnnxScoreKind.BitsPerDim;
        var description = Describe(detector.Density, GlowOnnxKind.Anomaly, detector.Threshold) with { ScoreKind = scoreKind };
        Write(GlowDensityGraph.Build(weights, description, detector.Density.OutputLatent, detector.Threshold, description.ToMetadata()), output);
    }

    /// <summary>Exports to a file, written whole or not at all (a temporary file renamed into place).</summary>
    /// <param name="model">A <see cref="GlowTransformer"/> or <see cref="GlowAnomalyTransformer"/>.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="direction">Density or Sample.</param>
    public static void Export(Microsoft.ML.ITransformer model, string path, GlowOnnxDirection direction = GlowOnnxDirection.Density)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = File.Create(temporary))
            {
                switch (model)
                {
                    case GlowTransformer density:
                        Export(density, stream, direction);
                        break;
                    case GlowAnomalyTransformer detector:
                        Export(detector, stream, direction);
                        break;
                    default:
                        throw new NotSupportedException($"cannot export a {model.GetType().Name} to ONNX: expected a GlowTransformer or a GlowAnomalyTransformer");
                }
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static GlowOnnxDescription Describe(GlowTransformer model, GlowOnnxKind kind, float? threshold)
    {
        var (channels, height, width) = model.ImageShape;
        return new GlowOnnxDescription
        {
            Kind = kind,
            Channels = channels,
            Height = height,
            Width = width,
            Bits = model.NumberOfBits,
            Levels = model.Architecture.Levels,
            LatentDimensions = checked((int)model.Architecture.Dimensions),
            FeatureColumnName = model.FeatureColumnName,
            OutputLatent = kind != GlowOnnxKind.Sampler && model.OutputLatent,
            Threshold = threshold,
        };
    }

    private static void Write(ModelProto proto, Stream output)
    {
        using var coded = new CodedOutputStream(output, leaveOpen: true);
        proto.WriteTo(coded);
        coded.Flush();
    }
}
