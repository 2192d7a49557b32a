using MLNetFlows.Estimators.InfoGan;
using MLNetFlows.Onnx.Graph;
using Onnx;

namespace MLNetFlows.Onnx.InfoGan;

/// <summary>
/// InfoGAN's code-inference network Q (with the body it shares with D) as an ONNX graph: pixels in [0, 255] ÷ 255 →
/// 4×4/2 convolution → leaky ReLU → 4×4/2 convolution + BN → leaky ReLU → FC + BN → leaky ReLU → FC + BN → leaky ReLU →
/// FC, each batch normalisation (evaluation mode) folded into the layer before it. Outputs, per categorical code i, its
/// class probabilities (<c>CategoryProbabilities</c>, <c>Category1Probabilities</c>, …, [N, Kᵢ]) and most probable class
/// (<c>Category</c>, <c>Category1</c>, …, 0-based int64 [N]), and the continuous codes' means (<c>Continuous</c> [N, M]).
/// </summary>
internal static class InfoGanRecognitionGraph
{
    public static ModelProto Build(InfoGanWeights weights, string featureColumnName, IReadOnlyDictionary<string, string> metadata)
    {
        var a = weights.Architecture;
        var graph = new OnnxGraphBuilder("infogan_recognition");
        long channels = a.Channels, narrow = a.ConvolutionChannels, wide = 2L * a.ConvolutionChannels, hidden = a.HiddenUnits, units = a.RecognitionUnits;
        var flattened = wide * (a.Height / 4) * (a.Width / 4);
        var slope = a.LeakySlope;
        var h = graph.Div(graph.Input(featureColumnName, channels, a.Height, a.Width), graph.Scalar("pixel_scale", 255));
        var (w1, b1) = weights.Layer("discriminator.conv1", narrow * channels * 16, narrow);
        h = graph.LeakyRelu(graph.Conv(h, graph.Constant("conv1_weight", w1, narrow, channels, 4, 4), graph.Constant("conv1_bias", b1, narrow), 4, 2, 1), slope);
        var (w2, b2) = weights.LayerThenBatchNorm("discriminator.conv2", "discriminator.bn2", wide, narrow * 16);
        h = graph.LeakyRelu(graph.Conv(h, graph.Constant("conv2_weight", w2, wide, narrow, 4, 4), graph.Constant("conv2_bias", b2, wide), 4, 2, 1), slope);
        h = graph.Flatten(h);
        var (w3, b3) = weights.LayerThenBatchNorm("discriminator.fc3", "discriminator.bn3", hidden, flattened);
        h = graph.LeakyRelu(graph.Linear(h, graph.Constant("fc3_weight", w3, hidden, flattened), graph.Constant("fc3_bias", b3, hidden)), slope);
        var (w4, b4) = weights.LayerThenBatchNorm("discriminator.q_fc", "discriminator.q_bn", units, hidden);
        h = graph.LeakyRelu(graph.Linear(h, graph.Constant("q_fc_weight", w4, units, hidden), graph.Constant("q_fc_bias", b4, units)), slope);
        var outputs = a.CategoryUnits + (a.LearnContinuousStd ? 2L : 1L) * a.ContinuousCodes;
        var (w5, b5) = weights.Layer("discriminator.q_out", outputs * units, outputs);
        var q = graph.Linear(h, graph.Constant("q_out_weight", w5, outputs, units), graph.Constant("q_out_bias", b5, outputs));

        long offset = 0;
        for (var code = 0; code < a.CategoryCounts.Count; code++)
        {
            var classes = (long)a.CategoryCounts[code];
            var logits = graph.Slice(q, 1, offset, offset + classes);
            graph.Output(graph.ArgMax(logits, 1), InfoGanColumns.CategoryOf(code), TensorProto.Types.DataType.Int64);
            graph.Output(graph.Softmax(logits, 1), InfoGanColumns.CategoryOf(code) + InfoGanColumns.ProbabilitiesSuffix, TensorProto.Types.DataType.Float, classes);
            offset += classes;
        }

        if (a.ContinuousCodes > 0)
        {
            graph.Output(graph.Slice(q, 1, offset, offset + a.ContinuousCodes), InfoGanColumns.Continuous, TensorProto.Types.DataType.Float, a.ContinuousCodes);
        }

        return graph.Build(metadata, "InfoGAN code inference (Q): images to categorical-code probabilities and continuous-code means (MLNetFlows export)");
    }
}
