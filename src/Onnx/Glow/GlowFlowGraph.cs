using MLNetFlows.Models.Flows;
using MLNetFlows.Onnx.Graph;

namespace MLNetFlows.Onnx.Glow;

/// <summary>
/// The parts of a Glow graph both directions share: squeeze and its inverse, the coupling network (three plain
/// convolutions with ActNorm and scales folded in), the coupling's shift and log-scale, and each level's geometry.
/// </summary>
internal sealed class GlowFlowGraph
{
    public GlowFlowGraph(OnnxGraphBuilder graph, GlowWeights weights)
    {
        Graph = graph;
        Weights = weights;
        var architecture = weights.Architecture;
        var levels = new List<LevelShape>();
        long channels = architecture.Channels, height = architecture.Height, width = architecture.Width;
        for (var level = 0; level < architecture.Levels; level++)
        {
            var inputChannels = channels;
            (channels, height, width) = (channels * 4, height / 2, width / 2);
            var last = level == architecture.Levels - 1;
            levels.Add(new LevelShape(inputChannels, channels, height, width, last ? channels : channels / 2));
            if (!last)
            {
                channels /= 2;
            }
        }

        Levels = levels;
    }

    public OnnxGraphBuilder Graph { get; }

    public GlowWeights Weights { get; }

    /// <summary>Per level: channels before the squeeze, channels of its steps, spatial size, channels of its latent.</summary>
    public IReadOnlyList<LevelShape> Levels { get; }

    public static string Step(int level, int step) => $"level{level}_step{step}";

    /// <summary>[N, C, H, W] → [N, 4C, H/2, W/2] in openai/glow's squeeze2d order.</summary>
    public string Squeeze(string x, LevelShape level)
    {
        var six = Graph.Reshape(x, -1, level.InputChannels, level.Height, 2, level.Width, 2);
        var permuted = Graph.Transpose(six, 0, 1, 3, 5, 2, 4);
        return Graph.Reshape(permuted, -1, level.Channels, level.Height, level.Width);
    }

    /// <summary>The inverse of <see cref="Squeeze"/>.</summary>
    public string Unsqueeze(string y, LevelShape level)
    {
        var six = Graph.Reshape(y, -1, level.InputChannels, 2, 2, level.Height, level.Width);
        var permuted = Graph.Transpose(six, 0, 1, 4, 2, 5, 3);
        return Graph.Reshape(permuted, -1, level.InputChannels, level.Height * 2, level.Width * 2);
    }

    /// <summary>
    /// Shift t and log-scale of a coupling from its passive half <paramref name="x1"/>; the log-scale is null for
    /// additive couplings. Affine: log σ(h + 2) as −softplus(−(h + 2)), or the soft clamp (2α/π)·atan(h/α).
    /// </summary>
    public (string Shift, string? LogScale) ShiftAndLogScale(string x1, int level, int step)
    {
        var architecture = Weights.Architecture;
        var channels = Levels[level].Channels;
        var half = channels / 2;
        var hidden = architecture.HiddenChannels;
        var prefix = $"{Step(level, step)}.coupling.net";
        var (w1, b1) = Weights.ConvolutionThenActNorm($"{prefix}.conv1", $"{prefix}.norm1", hidden, half * 9);
        var (w2, b2) = Weights.ConvolutionThenActNorm($"{prefix}.conv2", $"{prefix}.norm2", hidden, hidden);
        var affine = architecture.Coupling == CouplingKind.Affine;
        var outChannels = affine ? channels : half;
        var (w3, b3) = Weights.ZeroConvolution($"{prefix}.conv3", outChannels, hidden);
        var name = $"{Step(level, step)}_coupling";
        var h = Graph.Relu(Graph.Conv(x1, Graph.Constant($"{name}_conv1_weight", w1, hidden, half, 3, 3), Graph.Constant($"{name}_conv1_bias", b1, hidden), 3, 1));
        h = Graph.Relu(Graph.Conv(h, Graph.Constant($"{name}_conv2_weight", w2, hidden, hidden, 1, 1), Graph.Constant($"{name}_conv2_bias", b2, hidden), 1, 0));
        h = NarrowConvolution.Conv3x3(Graph, h, w3, b3, outChannels, hidden, $"{name}_conv3");
        if (!affine)
        {
            return (h, null);
        }

        var shift = Graph.Slice(h, 1, 0, half);
        var raw = Graph.Slice(h, 1, half, channels);
        var logScale = architecture.SoftClamp is { } alpha
            ? Graph.Mul(Graph.Atan(Graph.Div(raw, Graph.Scalar("soft_clamp_alpha", alpha))), Graph.Scalar("soft_clamp_scale", 2 * alpha / Math.PI))
            : Graph.Neg(Graph.Softplus(Graph.Neg(Graph.Add(raw, Graph.Scalar("scale_offset", 2)))));
        return (shift, logScale);
    }

    /// <summary>Mean and log-std of a split level's latent from the kept half (the folded zero-initialised convolution).</summary>
    public (string Mean, string LogStd) SplitPrior(string kept, int level)
    {
        var shape = Levels[level];
        var (weight, bias) = Weights.ZeroConvolution($"level{level}_prior", shape.Channels, shape.LatentChannels);
        var h = Graph.Conv(kept, Graph.Constant($"level{level}_prior_weight", weight, shape.Channels, shape.LatentChannels, 3, 3), Graph.Constant($"level{level}_prior_bias", bias, shape.Channels), 3, 1);
        return (Graph.Slice(h, 1, 0, shape.LatentChannels), Graph.Slice(h, 1, shape.LatentChannels, shape.Channels));
    }

    /// <summary>The geometry of one level.</summary>
    /// <param name="InputChannels">Channels before the level's squeeze.</param>
    /// <param name="Channels">Channels of the level's steps (after the squeeze).</param>
    /// <param name="Height">Height after the squeeze.</param>
    /// <param name="Width">Width after the squeeze.</param>
    /// <param name="LatentChannels">Channels of the latent the level factors out (all, at the top).</param>
    public sealed record LevelShape(long InputChannels, long Channels, long Height, long Width, long LatentChannels)
    {
        public long LatentDimensions => LatentChannels * Height * Width;
    }
}
