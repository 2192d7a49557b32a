using MLNetFlows.Models.Cinn;
using MLNetFlows.Onnx.Glow;
using MLNetFlows.Onnx.Graph;

namespace MLNetFlows.Onnx.Cinn;

/// <summary>
/// The parts of a conditional INN graph both directions share: each level's geometry; the downsampling (Haar
/// wavelets or squeeze) as one stride-2 2×2 convolution with a constant 0/±½ weight, and its inverse as the transposed
/// convolution with the same weight (both transforms are orthogonal); the fixed orthogonal mixing as a 1×1 convolution
/// (Q, or Q⁻¹ computed in float64); the conditional GLOW coupling and its inverse, with the soft clamp as Atan. The
/// class condition enters each subnetwork's first convolution, whose condition channels see a map that is constant over
/// the image: its contribution (zero padding included) is computed here per class, [K, hidden, h, w], so the graph adds
/// a constant (every class at once, <see cref="ConditionInjection.AllClasses"/>) or the condition input's product with it
/// (<see cref="ConditionInjection.Input"/>). An image condition goes through the conditioning network
/// (<see cref="ImageConditionNetworkGraph"/>) and its level-l feature maps are concatenated to what each subnetwork of
/// level l sees (<see cref="ConditionInjection.ImageFeatures"/>), as the model does. State names are the model's:
/// <c>level{l}_coupling{k}.net{1,2}.conv{1,2,3}_*</c>, <c>level{l}_mixing{k}.weight</c>, <c>condition.embedding</c>,
/// <c>condition.level{l}_{weight,bias}</c>.
/// </summary>
internal sealed partial class ConditionalInnFlowGraph
{
    private static readonly double[] Haar =
    [
        0.5, 0.5, 0.5, 0.5,
        0.5, -0.5, 0.5, -0.5,
        0.5, 0.5, -0.5, -0.5,
        0.5, -0.5, -0.5, 0.5,
    ];

    private readonly StateWeights _weights;
    private readonly double[,]? _classCodes;
    private readonly ConditionInjection _injection;
    private readonly string? _condition;
    private readonly IReadOnlyList<string>? _featureMaps;

    /// <summary>
    /// Creates the shared parts; <paramref name="condition"/> names the [N, K] condition input when <paramref name="injection"/>
    /// is Input, or the condition image as the conditioning network sees it ([N, Cc, H, W], c/255 − ½, padded) when it is
    /// ImageFeatures (the conditioning network's nodes are added here).
    /// </summary>
    public ConditionalInnFlowGraph(OnnxGraphBuilder graph, ConditionalInnArchitecture architecture, StateWeights weights, ConditionInjection injection, string? condition)
    {
        if ((injection == ConditionInjection.ImageFeatures) != (architecture.Condition == ConditionKind.Image))
        {
            throw new ArgumentException($"a {architecture.Condition} condition cannot be injected as {injection}", nameof(injection));
        }

        Graph = graph;
        Architecture = architecture;
        _weights = weights;
        _injection = injection;
        _condition = condition;
        if (injection == ConditionInjection.ImageFeatures)
        {
            _featureMaps = ImageConditionNetworkGraph.Build(graph, architecture, weights, condition ?? throw new ArgumentNullException(nameof(condition)));
        }
        else
        {
            _classCodes = ClassCodes(architecture, weights);
        }

        var levels = new List<LevelShape>();
        long channels = architecture.Channels, height = architecture.Height, width = architecture.Width;
        for (var level = 0; level < architecture.Levels; level++)
        {
            var inputChannels = channels;
            (channels, height, width) = (channels * 4, height / 2, width / 2);
            var kept = level < architecture.Levels - 1 ? channels / 2 : 0;
            levels.Add(new LevelShape(inputChannels, channels, height, width, channels - kept));
            channels = kept;
        }

        Levels = levels;
    }

    /// <summary>How the class condition reaches the subnetworks.</summary>
    public enum ConditionInjection
    {
        /// <summary>The batch is N images × K classes (row n·K + k is image n under class k).</summary>
        AllClasses,

        /// <summary>Each row has its own condition, the input [N, K] (one-hot rows; mixtures interpolate the condition).</summary>
        Input,

        /// <summary>Each row has its own condition image; the subnetworks see the conditioning network's feature maps.</summary>
        ImageFeatures,
    }

    public OnnxGraphBuilder Graph { get; }

    public ConditionalInnArchitecture Architecture { get; }

    /// <summary>Per level: channels before the downsampling, after it, spatial size, channels of its latent.</summary>
    public IReadOnlyList<LevelShape> Levels { get; }

    /// <summary>[N, C, H, W] → [N, 4C, H/2, W/2]: Haar coefficients (averages first) or squeeze, as the model orders them.</summary>
    public string Downsample(string x, int level)
    {
        var shape = Levels[level];
        return Graph.Node("Conv", [x, DownsamplingWeight(shape, level)], OnnxGraphBuilder.Ints("kernel_shape", 2, 2), OnnxGraphBuilder.Ints("strides", 2, 2));
    }

    /// <summary>The inverse of <see cref="Downsample"/>: the transposed convolution with the same (orthogonal) weight.</summary>
    public string Upsample(string y, int level) => Graph.ConvTranspose(y, DownsamplingWeight(Levels[level], level), null, 2, 2, 0);

    /// <summary>y = Q·x at every pixel; returns the per-pixel log|det Q| (a constant, ~0).</summary>
    public (string Output, double LogDetPerPixel) Mix(string x, int level, int block)
    {
        var channels = Levels[level].Channels;
        var q = _weights.Matrix($"level{level}_mixing{block}.weight", channels);
        return (MixingConvolution(x, q, $"level{level}_mixing{block}"), Matrices.LogAbsDeterminant(q));
    }

    /// <summary>x = Q⁻¹·y at every pixel (Q⁻¹ computed in float64).</summary>
    public string Unmix(string y, int level, int block)
    {
        var channels = Levels[level].Channels;
        var inverse = Matrices.Inverse(_weights.Matrix($"level{level}_mixing{block}.weight", channels));
        return MixingConvolution(y, inverse, $"level{level}_unmixing{block}");
    }

    /// <summary>The coupling x → y and its log-det per row, Σ log e(s₁) + Σ log e(s₂).</summary>
    public (string Output, string LogDet) Couple(string x, int level, int block)
    {
        var channels = Levels[level].Channels;
        var (first, second) = (channels / 2, channels - (channels / 2));
        var x1 = Graph.Slice(x, 1, 0, first);
        var x2 = Graph.Slice(x, 1, first, channels);
        var (logScale2, shift2) = ScaleAndShift(x2, level, block, "net2", second, first);
        var y1 = Graph.Add(Graph.Mul(x1, Graph.Exp(logScale2)), shift2);
        var (logScale1, shift1) = ScaleAndShift(y1, level, block, "net1", first, second);
        var y2 = Graph.Add(Graph.Mul(x2, Graph.Exp(logScale1)), shift1);
        var logDet = Graph.Add(Graph.ReduceSum(logScale1, 1, 2, 3), Graph.ReduceSum(logScale2, 1, 2, 3));
        return (Graph.Concat(1, y1, y2), logDet);
    }

    /// <summary>The coupling's inverse y → x.</summary>
    public string Uncouple(string y, int level, int block)
    {
        var channels = Levels[level].Channels;
        var (first, second) = (channels / 2, channels - (channels / 2));
        var y1 = Graph.Slice(y, 1, 0, first);
        var y2 = Graph.Slice(y, 1, first, channels);
        var (logScale1, shift1) = ScaleAndShift(y1, level, block, "net1", first, second);
        var x2 = Graph.Mul(Graph.Sub(y2, shift1), Graph.Exp(Graph.Neg(logScale1)));
        var (logScale2, shift2) = ScaleAndShift(x2, level, block, "net2", second, first);
        var x1 = Graph.Mul(Graph.Sub(y1, shift2), Graph.Exp(Graph.Neg(logScale2)));
        return Graph.Concat(1, x1, x2);
    }

    private string MixingConvolution(string x, double[,] matrix, string name)
    {
        var c = matrix.GetLength(0);
        var values = new double[c * c];
        for (var i = 0; i < c; i++)
        {
            for (var j = 0; j < c; j++)
            {
                values[(i * c) + j] = matrix[i, j];
            }
        }

        return Graph.Node("Conv", [x, Graph.Constant($"{name}_weight", values, c, c, 1, 1)], OnnxGraphBuilder.Ints("kernel_shape", 1, 1));
    }

    /// <summary>
    /// The subnetwork <paramref name="network"/> of a coupling on <paramref name="seen"/> (its <paramref name="seenChannels"/>
    /// channels and the condition) → soft-clamped log-scale (2α/π)·atan(s/α) and shift, <paramref name="transformed"/> channels each.
    /// </summary>
    private (string LogScale, string Shift) ScaleAndShift(string seen, int level, int block, string network, long seenChannels, long transformed)
    {
        var shape = Levels[level];
        var hidden = (long)Architecture.HiddenChannels;
        var conditionChannels = (long)Architecture.ConditionChannels;
        var prefix = $"level{level}_coupling{block}.{network}";
        var name = $"level{level}_coupling{block}_{network}";
        var inChannels = seenChannels + conditionChannels;
        var w1 = _weights.Get($"{prefix}.conv1_weight", hidden * inChannels * 9);
        var bias1 = Graph.Constant($"{name}_conv1_bias", _weights.Get($"{prefix}.conv1_bias", hidden), hidden);
        string h;
        if (_featureMaps is not null)
        {
            // The subnetwork sees [seen channels, the level's feature maps], as the model concatenates them.
            h = Graph.Relu(Graph.Conv(Graph.Concat(1, seen, _featureMaps[level]), Graph.Constant($"{name}_conv1_weight", w1, hidden, inChannels, 3, 3), bias1, 3, 1));
        }
        else
        {
            h = Graph.Relu(AddCondition(ConvolveSeen(seen, w1, bias1, hidden, seenChannels, inChannels, name), ClassMaps(w1, hidden, seenChannels, conditionChannels, shape.Height, shape.Width), hidden, shape, name));
        }

        h = Graph.Relu(Graph.Conv(h, Graph.Constant($"{name}_conv2_weight", _weights.Get($"{prefix}.conv2_weight", hidden * hidden), hidden, hidden, 1, 1),
            Graph.Constant($"{name}_conv2_bias", _weights.Get($"{prefix}.conv2_bias", hidden), hidden), 1, 0));
        var outChannels = 2 * transformed;
        h = NarrowConvolution.Conv3x3(Graph, h, _weights.Get($"{prefix}.conv3_weight", outChannels * hidden * 9), _weights.Get($"{prefix}.conv3_bias", outChannels), outChannels, hidden, $"{name}_conv3");
        var alpha = Architecture.SoftClamp;
        var logScale = Graph.Mul(Graph.Atan(Graph.Div(Graph.Slice(h, 1, 0, transformed), Graph.Scalar("soft_clamp_alpha", alpha))), Graph.Scalar("soft_clamp_scale", 2 * alpha / Math.PI));
        return (logScale, Graph.Slice(h, 1, transformed, outChannels));
    }

    /// <summary>The first convolution over the seen channels only (the class condition's part is added as constant maps).</summary>
    private string ConvolveSeen(string seen, double[] w1, string bias1, long hidden, long seenChannels, long inChannels, string name)
    {
        var seenWeight = new double[hidden * seenChannels * 9];
        for (var o = 0; o < hidden; o++)
        {
            Array.Copy(w1, o * inChannels * 9, seenWeight, o * seenChannels * 9, seenChannels * 9);
        }

        return Graph.Conv(seen, Graph.Constant($"{name}_conv1_weight", seenWeight, hidden, seenChannels, 3, 3), bias1, 3, 1);
    }

    private string AddCondition(string h, double[] classMaps, long hidden, LevelShape shape, string name)
    {
        var classes = (long)Architecture.NumberOfClasses;
        if (_injection == ConditionInjection.AllClasses)
        {
            var perClass = Graph.Reshape(h, -1, classes, hidden, shape.Height, shape.Width);
            var added = Graph.Add(perClass, Graph.Constant($"{name}_condition_maps", classMaps, classes, hidden, shape.Height, shape.Width));
            return Graph.Reshape(added, -1, hidden, shape.Height, shape.Width);
        }

        var contribution = Graph.MatMul(_condition!, Graph.Constant($"{name}_condition_maps", classMaps, classes, hidden * shape.Height * shape.Width));
        return Graph.Add(h, Graph.Reshape(contribution, -1, hidden, shape.Height, shape.Width));
    }

    /// <summary>
    /// What the condition channels of the first convolution add for each class k, [K, hidden, h, w]: the 3×3 convolution
    /// (zero padding 1) of the constant maps code_k (one-hot, or the class's embedding row), in float64.
    /// </summary>
    private double[] ClassMaps(double[] w1, long hidden, long seenChannels, long conditionChannels, long height, long width)
    {
        var inChannels = seenChannels + conditionChannels;
        var codes = _classCodes!;
        var classes = codes.GetLength(0);
        var maps = new double[classes * hidden * height * width];
        for (var o = 0; o < hidden; o++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    // The sum of each condition channel's kernel over the taps that fall inside the image.
                    var perChannel = new double[conditionChannels];
                    for (var j = 0; j < conditionChannels; j++)
                    {
                        double sum = 0;
                        for (var dy = -1; dy <= 1; dy++)
                        {
                            for (var dx = -1; dx <= 1; dx++)
                            {
                                if (y + dy >= 0 && y + dy < height && x + dx >= 0 && x + dx < width)
                                {
                                    sum += w1[(((o * inChannels) + seenChannels + j) * 9) + ((dy + 1) * 3) + dx + 1];
                                }
                            }
                        }

                        perChannel[j] = sum;
                    }

                    for (var k = 0; k < classes; k++)
                    {
                        double value = 0;
                        for (var j = 0; j < conditionChannels; j++)
                        {
                            value += codes[k, j] * perChannel[j];
                        }

                        maps[(((((k * hidden) + o) * height) + y) * width) + x] = value;
                    }
                }
            }
        }

        return maps;
    }

    private string DownsamplingWeight(LevelShape shape, int level)
    {
        var c = shape.InputChannels;
        var weight = new double[4 * c * c * 4];
        for (var channel = 0; channel < c; channel++)
        {
            for (var patch = 0; patch < 4; patch++)
            {
                if (Architecture.Downsampling == DownsamplingKind.Haar)
                {
                    for (var wavelet = 0; wavelet < 4; wavelet++)
                    {
                        weight[((((wavelet * c) + channel) * c) + channel) * 4 + patch] = Haar[(wavelet * 4) + patch];
                    }
                }
                else
                {
                    weight[((((channel * 4) + patch) * c) + channel) * 4 + patch] = 1;
                }
            }
        }

        return Graph.Constant($"level{level}_downsampling_weight", weight, 4 * c, c, 2, 2);
    }

    private static double[,] ClassCodes(ConditionalInnArchitecture architecture, StateWeights weights)
    {
        var classes = architecture.NumberOfClasses;
        if (architecture.ClassEncoding == ClassEncoding.OneHot)
        {
            var identity = new double[classes, classes];
            for (var k = 0; k < classes; k++)
            {
                identity[k, k] = 1;
            }

            return identity;
        }

        var dimension = architecture.EmbeddingDimension;
        var embedding = weights.Get("condition.embedding", (long)classes * dimension);
        var codes = new double[classes, dimension];
        for (var k = 0; k < classes; k++)
        {
            for (var j = 0; j < dimension; j++)
            {
                codes[k, j] = embedding[(k * dimension) + j];
            }
        }

        return codes;
    }

    /// <summary>The geometry of one level.</summary>
    /// <param name="InputChannels">Channels before the level's downsampling.</param>
    /// <param name="Channels">Channels of the level's blocks.</param>
    /// <param name="Height">Height after the downsampling.</param>
    /// <param name="Width">Width after the downsampling.</param>
    /// <param name="LatentChannels">Channels of the latent the level splits off (all, at the last level).</param>
    public sealed record LevelShape(long InputChannels, long Channels, long Height, long Width, long LatentChannels)
    {
        public long LatentDimensions => LatentChannels * Height * Width;
    }
}
