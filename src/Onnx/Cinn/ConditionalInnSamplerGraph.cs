using MLNetFlows.Models.Glow;
using MLNetFlows.Onnx.Graph;
using Onnx;

namespace MLNetFlows.Onnx.Cinn;

/// <summary>
/// The latent → image direction of a class-conditional INN as an ONNX graph, the exact inverse of the density
/// direction (ConditionalInnModel.Decode): the concatenated latents [N, D] (finest level first) and the condition
/// [N, K] → per level, from the top: concatenation with the level's latent, inverse blocks (Q⁻¹ mixing, inverse
/// coupling), inverse downsampling → crop to the image size. Outputs <c>Image</c> (model-space values, about [−½, ½])
/// and <c>Pixels</c> (quantised to the model's bits and scaled to [0, 255], as the transformer's Sample returns).
/// </summary>
internal static class ConditionalInnSamplerGraph
{
    public static ModelProto Build(StateWeights weights, ConditionalInnOnnxDescription description)
    {
        var architecture = description.Architecture;
        var graph = new OnnxGraphBuilder("cinn_sampler");
        var latent = graph.Input(ConditionalInnOnnxNames.Latent, architecture.Dimensions);
        var condition = graph.Input(ConditionalInnOnnxNames.Condition, architecture.NumberOfClasses);
        var flow = new ConditionalInnFlowGraph(graph, architecture, weights, ConditionalInnFlowGraph.ConditionInjection.Input, condition);
        var parts = new string[flow.Levels.Count];
        long offset = 0;
        for (var level = 0; level < flow.Levels.Count; level++)
        {
            var shape = flow.Levels[level];
            parts[level] = graph.Reshape(graph.Slice(latent, 1, offset, offset + shape.LatentDimensions), -1, shape.LatentChannels, shape.Height, shape.Width);
            offset += shape.LatentDimensions;
        }

        var h = parts[^1];
        for (var level = flow.Levels.Count - 1; level >= 0; level--)
        {
            if (level < flow.Levels.Count - 1)
            {
                h = graph.Concat(1, h, parts[level]);
            }

            for (var block = architecture.BlocksPerLevel - 1; block >= 0; block--)
            {
                h = flow.Unmix(h, level, block);
                h = flow.Uncouple(h, level, block);
            }

            h = flow.Upsample(h, level);
        }

        var (channels, height, width) = (description.Channels, description.Height, description.Width);
        if (architecture.Height > height || architecture.Width > width)
        {
            h = graph.Slice(graph.Slice(h, 2, 0, height), 3, 0, width);
        }

        graph.Output(h, ConditionalInnOnnxNames.Image, TensorProto.Types.DataType.Float, channels, height, width);
        var bins = GlowInput.Bins(description.Bits);
        var levels = graph.Clip(graph.Floor(graph.Mul(graph.Add(h, graph.Scalar("centre", 0.5)), graph.Scalar("bins", bins))), 0, bins - 1);
        graph.Output(graph.Mul(levels, graph.Scalar("pixel_scale", 255.0 / (bins - 1))), ConditionalInnOnnxNames.Pixels, TensorProto.Types.DataType.Float, channels, height, width);
        return graph.Build(description.ToMetadata(), "Class-conditional INN decoder: latents and class conditions to images (MLNetFlows export)");
    }
}
