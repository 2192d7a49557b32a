using MLNetFlows.Models.Glow;
using MLNetFlows.Onnx.Graph;
using MLNetFlows.OnnxScoring;
using Onnx;

namespace MLNetFlows.Onnx.Glow;

/// <summary>
/// The data → density direction of a Glow as an ONNX graph, computing what the TorchSharp transformer computes:
/// pixel values in [0, 255] [N, C, H, W] → reduction to n bits, zero padding to the model size, bin-centre
/// dequantisation → squeeze and steps per level (ActNorm folded into the invertible 1×1 convolution, which is a plain
/// convolution with weights computed here) → per-level log-density → LogLikelihood, BitsPerDim, LevelBitsPerDim
/// (and Latent, Score, PredictedLabel when asked). Every log-determinant that does not depend on the input (ActNorm,
/// 1×1 convolutions) and the priors' constant terms are folded into one constant per level.
/// </summary>
internal static class GlowDensityGraph
{
    private static readonly double LogTwoPi = Math.Log(2 * Math.PI);

    /// <summary>
    /// Builds the graph; <paramref name="threshold"/> adds Score and PredictedLabel (Score &gt; threshold): Score is
    /// BitsPerDim, or for a complexity-corrected detector BitsPerDim minus the second input ComplexityBitsPerDim [N, 1]
    /// ([N, 1] rather than [N]: ML.NET's ApplyOnnxModel feeds a scalar column as [1, 1]).
    /// </summary>
    public static ModelProto Build(GlowWeights weights, GlowOnnxDescription description, bool outputLatent, float? threshold, IReadOnlyDictionary<string, string> metadata)
    {
        var architecture = weights.Architecture;
        var graph = new OnnxGraphBuilder("glow_density");
        var flow = new GlowFlowGraph(graph, weights);
        var (channels, height, width, bits) = (description.Channels, description.Height, description.Width, description.Bits);
        var bins = GlowInput.Bins(bits);

        var x = graph.Input(description.FeatureColumnName, channels, height, width);
        if (bits < 8)
        {
            x = graph.Floor(graph.Div(x, graph.Scalar("bit_reduction", 1 << (8 - bits))));
        }

        if (architecture.Height > height || architecture.Width > width)
        {
            x = graph.PadBottomRight(x, architecture.Height - height, architecture.Width - width);
        }

        x = graph.Sub(graph.Div(graph.Add(x, graph.Scalar("bin_centre", 0.5)), graph.Scalar("bins", bins)), graph.Scalar("centre", 0.5));

        var perLevel = new List<string>();
        var latents = new List<string>();
        var h = x;
        for (var level = 0; level < flow.Levels.Count; level++)
        {
            var shape = flow.Levels[level];
            var pixels = shape.Height * shape.Width;
            h = flow.Squeeze(h, shape);
            double constant = 0;
            string? couplingLogDet = null;
            for (var step = 0; step < architecture.StepsPerLevel; step++)
            {
                (h, var stepConstant) = MixChannels(graph, weights, h, level, step, shape.Channels);
                constant += pixels * stepConstant;
                var half = shape.Channels / 2;
                var x1 = graph.Slice(h, 1, 0, half);
                var x2 = graph.Slice(h, 1, half, shape.Channels);
                var (shift, logScale) = flow.ShiftAndLogScale(x1, level, step);
                string y2;
                if (logScale is null)
                {
                    y2 = graph.Add(x2, shift);
                }
                else
                {
                    y2 = graph.Mul(graph.Add(x2, shift), graph.Exp(logScale));
                    var stepLogDet = graph.ReduceSum(logScale, 1, 2, 3);
                    couplingLogDet = couplingLogDet is null ? stepLogDet : graph.Add(couplingLogDet, stepLogDet);
                }

                h = graph.Concat(1, x1, y2);
            }

            string latent, standardized, logPrior;
            var latentDimensions = shape.LatentDimensions;
            if (level < flow.Levels.Count - 1)
            {
                latent = graph.Slice(h, 1, shape.LatentChannels, shape.Channels);
                h = graph.Slice(h, 1, 0, shape.LatentChannels);
                var (mean, logStd) = flow.SplitPrior(h, level);
                standardized = graph.Mul(graph.Sub(latent, mean), graph.Exp(graph.Neg(logStd)));
                logPrior = graph.Sub(graph.Mul(graph.ReduceSum(graph.Mul(standardized, standardized), 1, 2, 3), graph.Scalar("minus_half", -0.5)), graph.ReduceSum(logStd, 1, 2, 3));
            }
            else
            {
                latent = h;
                var (mean, logStd) = TopPrior(weights, shape);
                standardized = graph.Mul(graph.Sub(latent, graph.Constant("top_prior_mean", mean, 1, shape.Channels, shape.Height, shape.Width)),
                    graph.Constant("top_prior_inverse_std", Array.ConvertAll(logStd, s => Math.Exp(-s)), 1, shape.Channels, shape.Height, shape.Width));
                logPrior = graph.Mul(graph.ReduceSum(graph.Mul(standardized, standardized), 1, 2, 3), graph.Scalar("minus_half", -0.5));
                constant -= logStd.Sum();
            }

            constant -= 0.5 * latentDimensions * LogTwoPi;
            var levelLogDensity = couplingLogDet is null ? logPrior : graph.Add(couplingLogDet, logPrior);
            levelLogDensity = graph.Add(levelLogDensity, graph.Scalar($"level{level}_constant", constant));
            perLevel.Add(graph.Unsqueeze(levelLogDensity, 1));
            latents.Add(graph.Flatten(latent));
        }

        var levels = flow.Levels.Count;
        var parts = levels == 1 ? perLevel[0] : graph.Concat(1, [.. perLevel]);
        var logDensity = graph.ReduceSum(parts, 1);
        var modelDimensions = architecture.Dimensions;
        var discretization = modelDimensions * Math.Log(bins);
        var reported = (long)channels * height * width;
        graph.Output(graph.Sub(logDensity, graph.Scalar("discretization", discretization)), GlowOnnxNames.LogLikelihood, TensorProto.Types.DataType.Float);
        var bitsPerDim = graph.Div(graph.Sub(graph.Scalar("discretization", discretization), logDensity), graph.Scalar("bits_per_dim_divisor", reported * Math.Log(2)));
        graph.Output(bitsPerDim, GlowOnnxNames.BitsPerDim, TensorProto.Types.DataType.Float);
        var levelDimensions = flow.Levels.Select(l => (double)l.LatentDimensions).ToArray();
        var levelBits = graph.Div(graph.Sub(graph.Constant("level_discretization", levelDimensions.Select(d => d * Math.Log(bins)).ToArray(), 1, levels), parts),
            graph.Constant("level_bits_divisor", levelDimensions.Select(d => d * Math.Log(2)).ToArray(), 1, levels));
        graph.Output(levelBits, GlowOnnxNames.LevelBitsPerDim, TensorProto.Types.DataType.Float, levels);
        if (outputLatent)
        {
            graph.Output(levels == 1 ? latents[0] : graph.Concat(1, [.. latents]), GlowOnnxNames.Latent, TensorProto.Types.DataType.Float, modelDimensions);
        }

        if (threshold is { } t)
        {
            // A complexity-corrected score subtracts the PNG bits/dim, which the caller computes and passes as a second input.
            var score = description.ScoreKind == GlowOnnxScoreKind.ComplexityCorrected
                ? graph.Sub(bitsPerDim, graph.Reshape(graph.Input(GlowOnnxNames.ComplexityBitsPerDim, 1), -1))
                : bitsPerDim;
            graph.Output(score, GlowOnnxNames.Score, TensorProto.Types.DataType.Float);
            graph.Output(graph.Greater(score, graph.Scalar("threshold", t)), GlowOnnxNames.PredictedLabel, TensorProto.Types.DataType.Bool);
        }

        return graph.Build(metadata, "Glow log-density of 8-bit images (MLNetFlows export)");
    }

    /// <summary>
    /// ActNorm then the invertible 1×1 convolution as one convolution: W·((x + b)⊙eˢ) = (W·diag(eˢ))·x + W·(b⊙eˢ).
    /// Returns its output and the per-pixel log-determinant Σ s + log|det W| (a constant).
    /// </summary>
    private static (string Output, double LogDetPerPixel) MixChannels(OnnxGraphBuilder graph, GlowWeights weights, string x, int level, int step, long channels)
    {
        var prefix = GlowFlowGraph.Step(level, step);
        var w = weights.MixingWeight($"{prefix}.invconv", channels);
        var bias = weights.Get($"{prefix}.actnorm.bias", channels);
        var logs = weights.Get($"{prefix}.actnorm.logs", channels);
        var c = (int)channels;
        var fused = new double[c * c];
        var fusedBias = new double[c];
        for (var i = 0; i < c; i++)
        {
            for (var j = 0; j < c; j++)
            {
                var value = w[i, j] * Math.Exp(logs[j]);
                fused[(i * c) + j] = value;
                fusedBias[i] += value * bias[j];
            }
        }

        var output = graph.Conv(x, graph.Constant($"{prefix}_mix_weight", fused, channels, channels, 1, 1), graph.Constant($"{prefix}_mix_bias", fusedBias, channels), 1, 0);
        return (output, weights.MixingLogAbsDet($"{prefix}.invconv", channels) + logs.Sum());
    }

    private static (double[] Mean, double[] LogStd) TopPrior(GlowWeights weights, GlowFlowGraph.LevelShape shape)
    {
        var perHalf = shape.Channels * shape.Height * shape.Width;
        var prior = weights.Get("top_prior", 2 * perHalf);
        return (prior[..(int)perHalf], prior[(int)perHalf..]);
    }
}
