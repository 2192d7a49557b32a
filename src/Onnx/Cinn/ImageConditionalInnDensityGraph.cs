using MLNetFlows.Models.Glow;
using MLNetFlows.Onnx.Graph;
using Onnx;

namespace MLNetFlows.Onnx.Cinn;

/// <summary>
/// The data → density direction of an image-conditioned INN as an ONNX graph, computing what the TorchSharp transformer
/// computes: the images x in [0, 255] [N, C, h, w] (reduced to n bits, padded, bin-centre dequantised) and the condition
/// images [N, Cc, h, w] (padded, scaled to [−½, ½], through the conditioning network to one feature map per level) →
/// per level: downsampling, blocks of coupling (the subnetworks see the level's feature maps) and fixed mixing,
/// split-off latent with a standard normal prior. Outputs LogLikelihood (nats of the 8-bit image) and BitsPerDim (per
/// original pixel value); every log-determinant that does not depend on the input and the priors' −½·D·log 2π are one
/// constant.
/// </summary>
internal static class ImageConditionalInnDensityGraph
{
    public static ModelProto Build(StateWeights weights, ImageConditionalInnOnnxDescription description)
    {
        var architecture = description.Architecture;
        var graph = new OnnxGraphBuilder("image_cinn_density");
        var (channels, height, width, bits) = (description.Channels, description.Height, description.Width, description.Bits);
        var pixels = graph.Input(description.FeatureColumnName, channels, height, width);
        var condition = graph.Input(description.ConditionColumnName, description.ConditionChannels, height, width);
        var flow = new ConditionalInnFlowGraph(graph, architecture, weights, ConditionalInnFlowGraph.ConditionInjection.ImageFeatures,
            ImageConditionNetworkGraph.Prepare(graph, architecture, condition, height, width));
        var (logDensity, constant) = flow.LogDensity(flow.ModelInput(pixels, height, width, bits));

        // log p(x | c) of the 8-bit image: the model's log-density at the bin centre minus D·log(bins).
        var discretization = architecture.Dimensions * Math.Log(GlowInput.Bins(bits));
        var logLikelihood = graph.Add(logDensity, graph.Scalar("constant", constant - discretization));
        graph.Output(logLikelihood, ImageConditionalInnOnnxNames.LogLikelihood, TensorProto.Types.DataType.Float);
        var reported = (long)channels * height * width;
        graph.Output(graph.Mul(logLikelihood, graph.Scalar("bits_per_dim_factor", -1 / (reported * Math.Log(2)))), ImageConditionalInnOnnxNames.BitsPerDim, TensorProto.Types.DataType.Float);
        return graph.Build(description.ToMetadata(), "Image-conditioned INN: log-likelihood of 8-bit images given condition images (MLNetFlows export)");
    }
}
