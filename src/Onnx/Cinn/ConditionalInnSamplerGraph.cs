using MLNetFlows.Models.Glow;
using MLNetFlows.Onnx.Graph;
using MLNetFlows.Models.Cinn;
using MLNetFlows.OnnxScoring;
using Onnx;

namespace MLNetFlows.Onnx.Cinn;

/// <summary>
/// The latent → image direction of a class-conditional INN as an ONNX graph, the exact inverse of the density
/// direction (ConditionalInnModel.Decode): the prior's standardised draws ε·T [N, D] (finest level first; the latents
/// themselves under the standard normal prior, mapped to μ_c + σ_c·ε·T under the class prior) and the condition
/// [N, K] → per level, from the top: concatenation with the level's latent, inverse blocks (Q⁻¹ mixing, inverse
/// coupling), inverse downsampling → crop to the image size. Outputs <c>Image</c> (model-space values, about [−½, ½])
/// and <c>Pixels</c> (quantised to the model's bits and scaled to [0, 255], as the transformer's Sample returns).
/// </summary>
internal static class ConditionalInnSamplerGraph
{
    public static ModelProto Build(StateWeights weights, ConditionalInnArchitecture architecture, ConditionalInnOnnxDescription description)
    {
        var graph = new OnnxGraphBuilder("cinn_sampler");
        var latent = graph.Input(ConditionalInnOnnxNames.Latent, architecture.Dimensions);
        var condition = graph.Input(ConditionalInnOnnxNames.Condition, architecture.NumberOfClasses);
        var flow = new ConditionalInnFlowGraph(graph, architecture, weights, ConditionalInnFlowGraph.ConditionInjection.Input, condition);
        var (channels, height, width) = (description.Channels, description.Height, description.Width);
        var image = flow.Crop(flow.Decode(flow.FromStandardLatent(latent)), height, width);
        graph.Output(image, ConditionalInnOnnxNames.Image, TensorProto.Types.DataType.Float, channels, height, width);
        graph.Output(flow.ToPixels(image, description.Bits), ConditionalInnOnnxNames.Pixels, TensorProto.Types.DataType.Float, channels, height, width);
        return graph.Build(description.ToMetadata(), "Class-conditional INN decoder: latents and class conditions to images (MLNetFlows export)");
    }
}
