using MLNetFlows.Models.Glow;
using MLNetFlows.Onnx.Graph;
using MLNetFlows.Models.Cinn;
using MLNetFlows.OnnxScoring;
using Onnx;

namespace MLNetFlows.Onnx.Cinn;

/// <summary>
/// The data → density direction of a class-conditional INN as an ONNX graph, computing what the TorchSharp transformer
/// computes: pixel values in [0, 255] [N, C, H, W] → reduction to n bits, zero padding to the model size, bin-centre
/// dequantisation → every image under every class at once (N·K rows, the condition's contribution to each subnetwork a
/// per-class constant) → per level: downsampling, blocks of coupling and fixed mixing, split-off latent under the
/// standard normal or the class's Gaussian prior. Outputs the log-likelihood of every class, the posterior over the classes (Score, with the class
/// log-priors), the MAP class and, for the condition input's class, LogLikelihood and BitsPerDim. Every log-determinant
/// that does not depend on the input (the mixings' H·W·log|det Q|) and the priors' −½·D·log 2π are one constant.
/// </summary>
internal static class ConditionalInnDensityGraph
{
    public static ModelProto Build(StateWeights weights, ConditionalInnArchitecture architecture, ConditionalInnOnnxDescription description, IReadOnlyList<double> logPriors)
    {
        var graph = new OnnxGraphBuilder("cinn_density");
        var flow = new ConditionalInnFlowGraph(graph, architecture, weights, ConditionalInnFlowGraph.ConditionInjection.AllClasses, condition: null);
        var (channels, height, width, bits, classes) = (description.Channels, description.Height, description.Width, description.Bits, (long)architecture.NumberOfClasses);
        var bins = GlowInput.Bins(bits);

        var x = flow.ModelInput(graph.Input(description.FeatureColumnName, channels, height, width), height, width, bits);
        var condition = graph.Input(ConditionalInnOnnxNames.Condition, classes);

        // The downsampling does not depend on the class: repeat each image K times after it (row n·K + k).
        var (logDensity, constant) = flow.LogDensity(x, (h, shape) =>
            graph.Reshape(graph.Expand(graph.Unsqueeze(h, 1), 1, classes, 1, 1, 1), -1, shape.Channels, shape.Height, shape.Width));

        // log p(x | c) of the 8-bit image: the model's log-density at the bin centre minus D·log(bins), per class [N, K].
        var discretization = architecture.Dimensions * Math.Log(bins);
        var perClass = graph.Reshape(graph.Add(logDensity, graph.Scalar("constant", constant - discretization)), -1, classes);
        graph.Output(perClass, ConditionalInnOnnxNames.ClassLogLikelihood, TensorProto.Types.DataType.Float, classes);
        var logLikelihood = graph.ReduceSum(graph.Mul(perClass, condition), 1);
        graph.Output(logLikelihood, ConditionalInnOnnxNames.LogLikelihood, TensorProto.Types.DataType.Float);
        var reported = (long)channels * height * width;
        graph.Output(graph.Mul(logLikelihood, graph.Scalar("bits_per_dim_factor", -1 / (reported * Math.Log(2)))), ConditionalInnOnnxNames.BitsPerDim, TensorProto.Types.DataType.Float);
        var joint = graph.Add(perClass, graph.Constant("class_log_priors", [.. logPriors], 1, classes));
        graph.Output(graph.Softmax(joint, 1), ConditionalInnOnnxNames.Score, TensorProto.Types.DataType.Float, classes);
        graph.Output(graph.ArgMax(joint, 1), ConditionalInnOnnxNames.PredictedLabel, TensorProto.Types.DataType.Int64);
        return graph.Build(description.ToMetadata(), "Class-conditional INN: log-likelihood of 8-bit images under every class, posterior and MAP class (MLNetFlows export)");
    }
}
