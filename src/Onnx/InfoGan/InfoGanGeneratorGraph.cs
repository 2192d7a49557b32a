using MLNetFlows.Onnx.Graph;
using Onnx;

namespace MLNetFlows.Onnx.InfoGan;

/// <summary>
/// InfoGAN's generator G as an ONNX graph: [noise | one-hot categorical codes | continuous codes] → FC + BN → ReLU →
/// FC + BN → ReLU → reshape [2c, H/4, W/4] → 4×4/2 transposed convolution + BN → ReLU → 4×4/2 transposed convolution →
/// sigmoid, each batch normalisation (evaluation mode) folded into the layer before it. Inputs with no columns (no noise,
/// no categorical or no continuous codes) are left out. Outputs <c>Image</c> in [0, 1] and <c>Pixels</c> (×255, as the
/// InfoGAN transformer generates).
/// </summary>
internal static class InfoGanGeneratorGraph
{
    public static ModelProto Build(InfoGanWeights weights, IReadOnlyDictionary<string, string> metadata)
    {
        var a = weights.Architecture;
        var graph = new OnnxGraphBuilder("infogan_generator");
        var inputs = new List<string>();
        if (a.NoiseSize > 0)
        {
            inputs.Add(graph.Input(InfoGanOnnxNames.Noise, a.NoiseSize));
        }

        if (a.CategoryUnits > 0)
        {
            inputs.Add(graph.Input(InfoGanOnnxNames.Categories, a.CategoryUnits));
        }

        if (a.ContinuousCodes > 0)
        {
            inputs.Add(graph.Input(InfoGanOnnxNames.Continuous, a.ContinuousCodes));
        }

        var h = inputs.Count == 1 ? inputs[0] : graph.Concat(1, [.. inputs]);
        long hidden = a.HiddenUnits, wide = 2L * a.ConvolutionChannels, narrow = a.ConvolutionChannels;
        var (height, width) = (a.Height / 4L, a.Width / 4L);
        var reshaped = wide * height * width;
        var (w1, b1) = weights.LayerThenBatchNorm("generator.fc1", "generator.bn1", hidden, a.LatentSize);
        h = graph.Relu(graph.Linear(h, graph.Constant("fc1_weight", w1, hidden, a.LatentSize), graph.Constant("fc1_bias", b1, hidden)));
        var (w2, b2) = weights.LayerThenBatchNorm("generator.fc2", "generator.bn2", reshaped, hidden);
        h = graph.Relu(graph.Linear(h, graph.Constant("fc2_weight", w2, reshaped, hidden), graph.Constant("fc2_bias", b2, reshaped)));
        h = graph.Reshape(h, -1, wide, height, width);
        var (w3, b3) = weights.LayerThenBatchNorm("generator.deconv1", "generator.bn3", narrow, 16, transposed: true, inChannels: wide);
        h = graph.Relu(graph.ConvTranspose(h, graph.Constant("deconv1_weight", w3, wide, narrow, 4, 4), graph.Constant("deconv1_bias", b3, narrow), 4, 2, 1));
        var channels = (long)a.Channels;
        var (w4, b4) = weights.Layer("generator.deconv2", narrow * channels * 16, channels);
        var image = graph.Sigmoid(graph.ConvTranspose(h, graph.Constant("deconv2_weight", w4, narrow, channels, 4, 4), graph.Constant("deconv2_bias", b4, channels), 4, 2, 1));
        graph.Output(image, InfoGanOnnxNames.Image, TensorProto.Types.DataType.Float, channels, a.Height, a.Width);
        graph.Output(graph.Mul(image, graph.Scalar("pixel_scale", 255)), InfoGanOnnxNames.Pixels, TensorProto.Types.DataType.Float, channels, a.Height, a.Width);
        return graph.Build(metadata, "InfoGAN generator: noise and codes to images (MLNetFlows export)");
    }
}
