using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using static TorchSharp.torch;

namespace MLNetFlows.Onnx.Glow;

/// <summary>
/// A Glow network's state dict copied to managed float64 arrays (by the state names that are its file format:
/// <c>level{l}_step{k}.actnorm.*</c>, <c>.invconv.*</c>, <c>.coupling.net.*</c>, <c>level{l}_prior.*</c>,
/// <c>top_prior</c>), with the folds the export needs: ActNorm and the exp(3·s) scales into convolution weights, the
/// invertible 1×1 convolution's weight, inverse and log-determinant, all computed in float64.
/// </summary>
internal sealed class GlowWeights
{
    private readonly Dictionary<string, (double[] Values, long[] Shape)> _tensors;

    private GlowWeights(GlowArchitecture architecture, Dictionary<string, (double[] Values, long[] Shape)> tensors)
    {
        Architecture = architecture;
        _tensors = tensors;
    }

    public GlowArchitecture Architecture { get; }

    /// <summary>Copies the weights of <paramref name="model"/>, which must have seen data (initialised ActNorms).</summary>
    public static GlowWeights Read(GlowModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsInitialized)
        {
            throw new InvalidOperationException("this Glow has not seen data yet (its ActNorm layers initialise on the first training batch): train it or load trained weights before exporting");
        }

        var tensors = new Dictionary<string, (double[], long[])>(StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        foreach (var (name, tensor) in model.state_dict())
        {
            var host = tensor.detach().to(ScalarType.Float64).cpu().contiguous();
            tensors[name] = (host.data<double>().ToArray(), host.shape);
        }

        return new GlowWeights(model.Architecture, tensors);
    }

    /// <summary>The values of state entry <paramref name="name"/>, checked against <paramref name="count"/> elements.</summary>
    public double[] Get(string name, long count)
    {
        if (!_tensors.TryGetValue(name, out var entry))
        {
            throw new InvalidDataException($"the Glow state has no entry '{name}': the model does not match its architecture, so it cannot be exported");
        }

        return entry.Values.LongLength == count
            ? entry.Values
            : throw new InvalidDataException($"the Glow state entry '{name}' has {entry.Values.LongLength} values, expected {count}");
    }

    /// <summary>A bias-free convolution followed by an ActNorm (<paramref name="norm"/>) as one convolution: (W·eˢ, b·eˢ).</summary>
    public (double[] Weight, double[] Bias) ConvolutionThenActNorm(string convolution, string norm, long outChannels, long perOutput)
    {
        var weight = (double[])Get($"{convolution}.weight", outChannels * perOutput).Clone();
        var bias = (double[])Get($"{norm}.bias", outChannels).Clone();
        var logs = Get($"{norm}.logs", outChannels);
        for (var o = 0; o < outChannels; o++)
        {
            var scale = Math.Exp(logs[o]);
            bias[o] *= scale;
            for (var i = 0; i < perOutput; i++)
            {
                weight[(o * perOutput) + i] *= scale;
            }
        }

        return (weight, bias);
    }

    /// <summary>A zero-initialised convolution (y = (W∗x + b)·e^(3s)) as a plain one: (W·e^(3s), b·e^(3s)).</summary>
    public (double[] Weight, double[] Bias) ZeroConvolution(string prefix, long outChannels, long inChannels)
    {
        var perOutput = inChannels * 9;
        var weight = (double[])Get($"{prefix}.weight", outChannels * perOutput).Clone();
        var bias = (double[])Get($"{prefix}.bias", outChannels).Clone();
        var logs = Get($"{prefix}.logs", outChannels);
        for (var o = 0; o < outChannels; o++)
        {
            var scale = Math.Exp(3 * logs[o]);
            bias[o] *= scale;
            for (var i = 0; i < perOutput; i++)
            {
                weight[(o * perOutput) + i] *= scale;
            }
        }

        return (weight, bias);
    }

    /// <summary>The invertible 1×1 convolution's C×C weight W (row-major), from the plain or LU parameters.</summary>
    public double[,] MixingWeight(string prefix, long channels)
    {
        var c = (int)channels;
        var w = new double[c, c];
        if (Architecture.Permutation == ConvolutionParameterization.Plain)
        {
            var plain = Get($"{prefix}.weight", channels * channels);
            for (var i = 0; i < c; i++)
            {
                for (var j = 0; j < c; j++)
                {
                    w[i, j] = plain[(i * c) + j];
                }
            }

            return w;
        }

        var p = Get($"{prefix}.p", channels * channels);
        var l = Get($"{prefix}.l", channels * channels);
        var u = Get($"{prefix}.u", channels * channels);
        var sign = Get($"{prefix}.sign_s", channels);
        var logS = Get($"{prefix}.log_s", channels);
        var lower = new double[c, c];
        var upper = new double[c, c];
        for (var i = 0; i < c; i++)
        {
            for (var j = 0; j < c; j++)
            {
                lower[i, j] = j < i ? l[(i * c) + j] : i == j ? 1 : 0;
                upper[i, j] = j > i ? u[(i * c) + j] : i == j ? sign[i] * Math.Exp(logS[i]) : 0;
            }
        }

        var lu = Matrices.Multiply(lower, upper);
        for (var i = 0; i < c; i++)
        {
            for (var j = 0; j < c; j++)
            {
                double sum = 0;
                for (var k = 0; k < c; k++)
                {
                    sum += p[(i * c) + k] * lu[k, j];
                }

                w[i, j] = sum;
            }
        }

        return w;
    }

    /// <summary>log|det W| of the invertible 1×1 convolution: Σ log|s| (LU) or from an LU factorisation (plain).</summary>
    public double MixingLogAbsDet(string prefix, long channels) => Architecture.Permutation == ConvolutionParameterization.Plain
        ? Matrices.LogAbsDeterminant(MixingWeight(prefix, channels))
        : Get($"{prefix}.log_s", channels).Sum();
}
