using MLNetFlows.Models.Glow;
using MLNetFlows.Onnx.Graph;
using MLNetFlows.OnnxScoring;
using Onnx;

namespace MLNetFlows.Onnx.Glow;

/// <summary>
/// The latent → image direction of a Glow as an ONNX graph, the exact inverse of the density graph's Latent output
/// (GlowTransformer.Decode): the concatenated latents [N, D] → per level, from the top: concatenation with the level's
/// latent, inverse steps (inverse coupling, then the inverse of ActNorm and 1×1 convolution as one convolution whose
/// weight diag(e⁻ˢ)·W⁻¹ is computed here), unsqueeze → crop to the image size. Outputs <c>Image</c> (the model-space
/// values x̃, about [−½, ½]) and <c>Pixels</c> (quantised to the model's bits and scaled to [0, 255], as Decode returns).
/// </summary>
internal static class GlowSamplerGraph
{
    public static ModelProto Build(GlowWeights weights, GlowOnnxDescription description, IReadOnlyDictionary<string, string> metadata)
    {
        var architecture = weights.Architecture;
        var graph = new OnnxGraphBuilder("glow_sampler");
        var flow = new GlowFlowGraph(graph, weights);
        var latent = graph.Input(GlowOnnxNames.Latent, architecture.Dimensions);
        var parts = new string[flow.Levels.Count];
        long offset = 0;
        for (var level = 0; level < flow.Levels.Count; level++)
        {
            var shape = flow.Levels[level];
            parts[level] = graph.Reshape(graph.Slice(latent, 1, offset, offset + shape.LatentDimensions), -1, shape.LatentChannels, shape.Height, shape.Width);
            offset += shape.LatentDimensions;
        }

        string h = parts[^1];
        for (var level = flow.Levels.Count - 1; level >= 0; level--)
        {
            var shape = flow.Levels[level];
            if (level < flow.Levels.Count - 1)
            {
                h = graph.Concat(1, h, parts[level]);
            }

            var half = shape.Channels / 2;
            for (var step = architecture.StepsPerLevel - 1; step >= 0; step--)
            {
                var y1 = graph.Slice(h, 1, 0, half);
                var y2 = graph.Slice(h, 1, half, shape.Channels);
                var (shift, logScale) = flow.ShiftAndLogScale(y1, level, step);
                var x2 = logScale is null ? graph.Sub(y2, shift) : graph.Sub(graph.Mul(y2, graph.Exp(graph.Neg(logScale))), shift);
                h = UnmixChannels(graph, weights, graph.Concat(1, y1, x2), level, step, shape.Channels);
            }

            h = flow.Unsqueeze(h, shape);
        }

        var (channels, height, width) = (description.Channels, description.Height, description.Width);
        if (architecture.Height > height || architecture.Width > width)
        {
            h = graph.Slice(graph.Slice(h, 2, 0, height), 3, 0, width);
        }

        graph.Output(h, GlowOnnxNames.Image, TensorProto.Types.DataType.Float, channels, height, width);
        var bins = GlowInput.Bins(description.Bits);
        var levels = graph.Clip(graph.Floor(graph.Mul(graph.Add(h, graph.Scalar("centre", 0.5)), graph.Scalar("bins", bins))), 0, bins - 1);
        graph.Output(graph.Mul(levels, graph.Scalar("pixel_scale", 255.0 / (bins - 1))), GlowOnnxNames.Pixels, TensorProto.Types.DataType.Float, channels, height, width);
        return graph.Build(metadata, "Glow decoder: latents to images (MLNetFlows export)");
    }

    /// <summary>x = W⁻¹·y ⊙ e⁻ˢ − b as one convolution: weight diag(e⁻ˢ)·W⁻¹, bias −b.</summary>
    private static string UnmixChannels(OnnxGraphBuilder graph, GlowWeights weights, string y, int level, int step, long channels)
    {
        var prefix = GlowFlowGraph.Step(level, step);
        var inverse = Matrices.Inverse(weights.MixingWeight($"{prefix}.invconv", channels));
        var bias = weights.Get($"{prefix}.actnorm.bias", channels);
        var logs = weights.Get($"{prefix}.actnorm.logs", channels);
        var c = (int)channels;
        var weight = new double[c * c];
        for (var i = 0; i < c; i++)
        {
            var scale = Math.Exp(-logs[i]);
            for (var j = 0; j < c; j++)
            {
                weight[(i * c) + j] = scale * inverse[i, j];
            }
        }

        return graph.Conv(y, graph.Constant($"{prefix}_unmix_weight", weight, channels, channels, 1, 1), graph.Constant($"{prefix}_unmix_bias", Array.ConvertAll(bias, b => -b), channels), 1, 0);
    }
}
