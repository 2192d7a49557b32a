using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Glow;

namespace MLNetFlows.Onnx.Cinn;

/// <summary>The whole passes both conditional INN kinds export: model input, data → log-density, latent → image, pixels.</summary>
internal sealed partial class ConditionalInnFlowGraph
{
    private static readonly double LogTwoPi = Math.Log(2 * Math.PI);

    /// <summary>
    /// Pixel values in [0, 255] [N, C, h, w] → the model input, as the TorchSharp transformer prepares it: reduction to
    /// <paramref name="bits"/> bits, zero padding at the bottom and right to the model size, bin-centre dequantisation to
    /// about [−½, ½].
    /// </summary>
    public string ModelInput(string pixels, int height, int width, int bits)
    {
        var x = pixels;
        if (bits < 8)
        {
            x = Graph.Floor(Graph.Div(x, Graph.Scalar("bit_reduction", 1 << (8 - bits))));
        }

        if (Architecture.Height > height || Architecture.Width > width)
        {
            x = Graph.PadBottomRight(x, Architecture.Height - height, Architecture.Width - width);
        }

        return Graph.Sub(Graph.Div(Graph.Add(x, Graph.Scalar("bin_centre", 0.5)), Graph.Scalar("bins", GlowInput.Bins(bits))), Graph.Scalar("centre", 0.5));
    }

    /// <summary>
    /// The model input x → log p(x̃) per row (the log-density at the bin centre, before the discretisation term): the
    /// input-dependent terms (coupling log-dets, −½‖z‖² of every latent) as a graph value, and the constant rest (the
    /// mixings' H·W·log|det Q|, −½·D·log 2π of the priors) folded into one double. <paramref name="afterFirstDownsampling"/>
    /// may reshape the batch after the first downsampling (the class graph repeats each image once per class there).
    /// With the class prior the latents' term is −½‖(z − μ_k)/σ_k‖² − Σ log σ_k for row n·K + k, so the batch must be
    /// every image under every class (<see cref="ConditionInjection.AllClasses"/>).
    /// </summary>
    public (string Terms, double Constant) LogDensity(string x, Func<string, LevelShape, string>? afterFirstDownsampling = null)
    {
        var classPrior = Architecture.Prior == LatentPrior.ClassGaussian;
        if (classPrior && _injection != ConditionInjection.AllClasses)
        {
            throw new InvalidOperationException("the class prior's log-density is built for every image under every class (AllClasses)");
        }

        double constant = 0;
        var terms = new List<string>();
        var latents = new List<string>();
        var h = x;
        for (var level = 0; level < Levels.Count; level++)
        {
            var shape = Levels[level];
            h = Downsample(h, level);
            if (level == 0 && afterFirstDownsampling is not null)
            {
                h = afterFirstDownsampling(h, shape);
            }

            for (var block = 0; block < Architecture.BlocksPerLevel; block++)
            {
                (h, var couplingLogDet) = Couple(h, level, block);
                terms.Add(couplingLogDet);
                (h, var mixingLogDet) = Mix(h, level, block);
                constant += shape.Height * shape.Width * mixingLogDet;
            }

            var latent = h;
            if (level < Levels.Count - 1)
            {
                var kept = shape.Channels - shape.LatentChannels;
                latent = Graph.Slice(h, 1, kept, shape.Channels);
                h = Graph.Slice(h, 1, 0, kept);
            }

            if (classPrior)
            {
                latents.Add(Graph.Reshape(latent, -1, shape.LatentDimensions));
            }
            else
            {
                terms.Add(Graph.Mul(Graph.ReduceSum(Graph.Mul(latent, latent), 1, 2, 3), Graph.Scalar("minus_half", -0.5)));
            }

            constant -= 0.5 * shape.LatentDimensions * LogTwoPi;
        }

        if (classPrior)
        {
            terms.Add(ClassPriorTerms(latents.Count == 1 ? latents[0] : Graph.Concat(1, [.. latents])));
        }

        var sum = terms[0];
        foreach (var term in terms.Skip(1))
        {
            sum = Graph.Add(sum, term);
        }

        return (sum, constant);
    }

    /// <summary>
    /// The latents [N·K, D] of every image under every class (row n·K + k) → −½‖(z − μ_k)/σ_k‖² − Σ log σ_k per row.
    /// </summary>
    private string ClassPriorTerms(string latents)
    {
        var (classes, dimensions) = (Architecture.NumberOfClasses, Architecture.Dimensions);
        var (mean, logStd) = ClassPrior();
        var inverseStd = Array.ConvertAll(logStd, s => Math.Exp(-s));
        var logStdSums = Enumerable.Range(0, classes).Select(k => -new ArraySegment<double>(logStd, k * (int)dimensions, (int)dimensions).Sum()).ToArray();

        var standardized = Graph.Mul(
            Graph.Sub(Graph.Reshape(latents, -1, classes, dimensions), Graph.Constant("prior_mean", mean, classes, dimensions)),
            Graph.Constant("prior_inverse_std", inverseStd, classes, dimensions));
        var perClass = Graph.Add(
            Graph.Mul(Graph.ReduceSum(Graph.Mul(standardized, standardized), 2), Graph.Scalar("minus_half", -0.5)),
            Graph.Constant("prior_minus_log_std_sum", logStdSums, classes));
        return Graph.Reshape(perClass, -1);
    }

    /// <summary>
    /// The prior's standardised draws ε·T [N, D] → the latents: themselves under the standard normal prior, and
    /// μ(c) + exp(log σ(c))·ε·T under the class prior, with μ(c) and log σ(c) the condition input [N, K] times the class
    /// tables (a one-hot row picks its class; ConditionalInnModel.FromStandardLatent).
    /// </summary>
    public string FromStandardLatent(string noise)
    {
        if (Architecture.Prior != LatentPrior.ClassGaussian)
        {
            return noise;
        }

        if (_injection != ConditionInjection.Input)
        {
            throw new InvalidOperationException("the class prior's latents are drawn for the condition input (Input)");
        }

        var (classes, dimensions) = (Architecture.NumberOfClasses, Architecture.Dimensions);
        var (mean, logStd) = ClassPrior();
        var condition = _condition!;
        var std = Graph.Exp(Graph.MatMul(condition, Graph.Constant("prior_log_std", logStd, classes, dimensions)));
        return Graph.Add(Graph.MatMul(condition, Graph.Constant("prior_mean", mean, classes, dimensions)), Graph.Mul(std, noise));
    }

    private (double[] Mean, double[] LogStd) ClassPrior()
    {
        var size = (long)Architecture.NumberOfClasses * Architecture.Dimensions;
        return (_weights.Get("prior.mean", size), _weights.Get("prior.log_std", size));
    }

    /// <summary>
    /// The concatenated latents [N, D] (finest level first) → the model-space image [N, C, H, W] of the architecture's
    /// size: per level from the top, concatenation with the level's latent, inverse blocks (Q⁻¹ mixing, inverse coupling),
    /// inverse downsampling (ConditionalInnModel.Decode).
    /// </summary>
    public string Decode(string latent)
    {
        var parts = new string[Levels.Count];
        long offset = 0;
        for (var level = 0; level < Levels.Count; level++)
        {
            var shape = Levels[level];
            parts[level] = Graph.Reshape(Graph.Slice(latent, 1, offset, offset + shape.LatentDimensions), -1, shape.LatentChannels, shape.Height, shape.Width);
            offset += shape.LatentDimensions;
        }

        var h = parts[^1];
        for (var level = Levels.Count - 1; level >= 0; level--)
        {
            if (level < Levels.Count - 1)
            {
                h = Graph.Concat(1, h, parts[level]);
            }

            for (var block = Architecture.BlocksPerLevel - 1; block >= 0; block--)
            {
                h = Unmix(h, level, block);
                h = Uncouple(h, level, block);
            }

            h = Upsample(h, level);
        }

        return h;
    }

    /// <summary>The model-space image cropped to <paramref name="height"/> × <paramref name="width"/> (the padding dropped).</summary>
    public string Crop(string image, int height, int width) =>
        Architecture.Height > height || Architecture.Width > width ? Graph.Slice(Graph.Slice(image, 2, 0, height), 3, 0, width) : image;

    /// <summary>A model-space image quantised to <paramref name="bits"/> bits and scaled to pixel values in [0, 255] (GlowInput.ToPixels).</summary>
    public string ToPixels(string image, int bits)
    {
        var bins = GlowInput.Bins(bits);
        var levels = Graph.Clip(Graph.Floor(Graph.Mul(Graph.Add(image, Graph.Scalar("centre", 0.5)), Graph.Scalar("bins", bins))), 0, bins - 1);
        return Graph.Mul(levels, Graph.Scalar("pixel_scale", 255.0 / (bins - 1)));
    }
}
