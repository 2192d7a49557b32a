using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// <c>mlnetflows evaluate cinn</c> on a colorization model: the test bits/dim of the chroma given the lightness and the
/// colorization figures of <see cref="ImageConditionalInnTransformer.EvaluateColorization"/> (best of n, the mean of the
/// n samples, the gray baseline, diversity) on colour patches — the held-out wallpaper photographs
/// (<c>--data wallpapers</c>, the default) or every photograph of a folder.
/// </summary>
internal static class CinnColorizationEvaluation
{
    /// <summary>What <c>--data</c> may be for a colorization model, as error messages say it.</summary>
    public const string Expected = $"'{CinnColorizationTraining.Wallpapers}' (the patches of the held-out wallpaper photographs) or a folder of colour PNG/JPEG photographs";

    /// <summary>Loads the colour patches <paramref name="name"/> names, cut to the model's patch size.</summary>
    public static IDataView Load(MLContext ml, ImageConditionalInnTransformer model, string modelPath, string name, int? limit)
    {
        var (_, height, width) = model.ImageShape;
        if (!model.IsColorization || height != width)
        {
            throw new CliFailureException(string.Create(CultureInfo.InvariantCulture,
                $"'{modelPath}' generates {model.ImageShape.Channels} channel(s) of {width}×{height} images given {model.ConditionChannels}, not the 2 chroma channels of square patches given the lightness of a colorization model; 'evaluate cinn' evaluates class models and colorization models"));
        }

        if (CinnData.Names.Contains(name))
        {
            throw new CliFailureException($"--data '{name}' is a labelled set of gray images, but '{modelPath}' is a colorization model: give {Expected}");
        }

        if (name != CinnColorizationTraining.Wallpapers && !Directory.Exists(name))
        {
            throw new CliFailureException($"--data '{name}' does not exist: give {Expected}");
        }

        IDataView data;
        try
        {
            data = name == CinnColorizationTraining.Wallpapers
                ? ml.Data.LoadWallpaperPatches(ColorPatchSplit.Test, limit, patchSize: height)
                : ml.Data.LoadColorPatches(name, ColorPatchSplit.All, limit, height);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            throw new CliFailureException($"--data '{name}' cannot be read: {e.Message}", e);
        }

        return data.GetRowCount() > 0
            ? data
            : throw new CliFailureException(string.Create(CultureInfo.InvariantCulture, $"--data '{name}' gives no {width}×{height} patches: use larger photographs"));
    }

    /// <summary>Prints the test bits/dim and the colorization figures of <paramref name="model"/> on <paramref name="data"/>.</summary>
    public static void Report(ImageConditionalInnTransformer model, IDataView data, string name, int samples, double temperature, int seed)
    {
        var bitsPerDim = model.EvaluateBitsPerDim(data, seed);
        var metrics = model.EvaluateColorization(data, samples, temperature, seed);
        var what = name == CinnColorizationTraining.Wallpapers ? "wallpapers (held-out photographs)" : name;
        foreach (var line in Lines(what, bitsPerDim, metrics))
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>The report's lines (also the demo page's figures).</summary>
    public static IEnumerable<string> Lines(string what, double bitsPerDim, ColorizationMetrics metrics)
    {
        var n = metrics.NumberOfSamples;
        yield return Invariant($"{what}: {bitsPerDim:F4} bits/dim of the chroma given the lightness ({metrics.NumberOfImages} patches, uniform dequantisation)");
        yield return Invariant($"{what}: best-of-{n} MSE {metrics.BestOfSamplesMeanSquaredError:F5} (per patch the closest of {n} samples at temperature {metrics.Temperature}; chroma in [0, 1])");
        yield return Invariant($"{what}: MSE of the mean of the {n} samples {metrics.MeanSampleMeanSquaredError:F5}");
        yield return Invariant($"{what}: gray (zero chroma) MSE {metrics.GrayMeanSquaredError:F5}");
        yield return Invariant($"{what}: diversity {metrics.Diversity:F5} (variance of the chroma across the {n} samples)");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
