using MLNetFlows.Models.Cinn;
using MLNetFlows.Onnx.Graph;

namespace MLNetFlows.Onnx.Cinn;

/// <summary>
/// The conditioning network of an image-conditioned INN (<see cref="ImageConditionNetwork"/>) as ONNX nodes, and the
/// condition image's preparation (<c>ImageConditionInput</c>): pixel values in [0, 255] [N, Cc, h, w] → zero padding at
/// the bottom and right to the model size → c·(1/255) − ½ → per level l: 3×3 convolution (zero padding 1, bias) → ReLU →
/// 2×2 average pooling, giving level l's feature maps at its resolution. State names: <c>condition.level{l}_weight</c>,
/// <c>condition.level{l}_bias</c>.
/// </summary>
internal static class ImageConditionNetworkGraph
{
    /// <summary>The condition pixels as the conditioning network sees them (padded with black, −½ after scaling).</summary>
    public static string Prepare(OnnxGraphBuilder graph, ConditionalInnArchitecture architecture, string pixels, int height, int width)
    {
        var x = architecture.Height > height || architecture.Width > width
            ? graph.PadBottomRight(pixels, architecture.Height - height, architecture.Width - width)
            : pixels;
        return graph.Sub(graph.Mul(x, graph.Scalar("condition_scale", 1.0 / 255)), graph.Scalar("condition_centre", 0.5));
    }

    /// <summary>One feature map [N, F, H/2^(l+1), W/2^(l+1)] per level from the prepared condition.</summary>
    public static string[] Build(OnnxGraphBuilder graph, ConditionalInnArchitecture architecture, StateWeights weights, string condition)
    {
        var features = (long)architecture.ConditionFeatureChannels;
        long inChannels = architecture.ConditionImageChannels;
        var maps = new string[architecture.Levels];
        var h = condition;
        for (var level = 0; level < maps.Length; level++)
        {
            var weight = weights.Get($"condition.level{level}_weight", features * inChannels * 9);
            var bias = weights.Get($"condition.level{level}_bias", features);
            h = graph.AveragePool(graph.Relu(NarrowConvolution.Conv3x3(graph, h, weight, bias, features, inChannels, $"condition_level{level}")), 2);
            maps[level] = h;
            inChannels = features;
        }

        return maps;
    }
}
