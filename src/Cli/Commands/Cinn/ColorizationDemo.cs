using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// The colorization part of <c>mlnetflows demo cinn --colorization</c>: trains a colorization conditional INN on the
/// training patches of the wallpaper photographs for a few minutes (or loads <c>--colorization-model</c>), scores it on patches of the
/// held-out photographs (<see cref="ImageConditionalInnTransformer.EvaluateColorization"/>) and draws the colorization
/// grid — rows = held-out patches, columns = the gray input, the samples, the ground truth — as a PNG and an HTML section.
/// </summary>
internal sealed class ColorizationDemo
{
    /// <summary>The grid's file name in the output folder.</summary>
    public const string GridFile = "cinn-colorization.png";

    private const int GridRows = 8;

    private ColorizationDemo(Option<bool> enabled, Option<string?> model, Option<double> minutes, Option<int> patches, Option<int> samples)
    {
        (Enabled, Model, Minutes, Patches, Samples) = (enabled, model, minutes, patches, samples);
    }

    /// <summary>Gets <c>--colorization</c>.</summary>
    public Option<bool> Enabled { get; }

    /// <summary>Gets <c>--colorization-model</c>.</summary>
    public Option<string?> Model { get; }

    /// <summary>Gets <c>--colorization-minutes</c>.</summary>
    public Option<double> Minutes { get; }

    /// <summary>Gets <c>--colorization-patches</c>.</summary>
    public Option<int> Patches { get; }

    /// <summary>Gets <c>--colorization-samples</c>.</summary>
    public Option<int> Samples { get; }

    /// <summary>The options the demo command adds.</summary>
    public IEnumerable<Option> All => [Enabled, Model, Minutes, Patches, Samples];

    public static ColorizationDemo CreateOptions() => new(
        new Option<bool>("--colorization") { Description = "Add the colorization part: train a colorization model for --colorization-minutes (or show --colorization-model), its figures and its grid." },
        new Option<string?>("--colorization-model") { Description = "A colorization model zip ('mlnetflows train cinn --colorization wallpapers') to show instead of training one (implies --colorization)." },
        CommonOptions.Require(new Option<double>("--colorization-minutes") { Description = "Training budget of the demo's colorization model, in minutes.", DefaultValueFactory = _ => 3 },
            m => m > 0 && double.IsFinite(m), m => $"--colorization-minutes must be a positive number, got {m}"),
        CommonOptions.Require(new Option<int>("--colorization-patches") { Description = "Held-out wallpaper patches the colorization figures are measured on.", DefaultValueFactory = _ => 256 },
            p => p >= 1, p => $"--colorization-patches must be at least 1, got {p}"),
        CommonOptions.Require(new Option<int>("--colorization-samples") { Description = "Samples per patch (best-of-n and the grid's columns).", DefaultValueFactory = _ => 8 },
            s => s is >= 1 and <= 32, s => $"--colorization-samples must be between 1 and 32, got {s}"));

    /// <summary>Whether the command line asks for the colorization part.</summary>
    public bool IsRequested(ParseResult result) => result.GetValue(Enabled) || result.GetValue(Model) is not null;

    /// <summary>Trains or loads the model, measures it, writes the grid into <paramref name="folder"/>, and returns the HTML section.</summary>
    public string Run(ParseResult result, string folder, int seed)
    {
        var ml = new MLContext(seed);
        var clock = Stopwatch.StartNew();
        var (model, origin) = result.GetValue(Model) is { } path
            ? (ModelFile.LoadImageConditionalInn(ml, path), $"model {path}")
            : Train(ml, result.GetValue(Minutes), seed);
        using (model)
        {
            var test = CinnColorizationEvaluation.Load(ml, model, result.GetValue(Model) ?? "the demo's colorization model", CinnColorizationTraining.Wallpapers, result.GetValue(Patches));
            var samples = result.GetValue(Samples);
            var bitsPerDim = model.EvaluateBitsPerDim(test, seed);
            var metrics = model.EvaluateColorization(test, samples, temperature: 1, seed);
            var lines = CinnColorizationEvaluation.Lines("wallpapers (held-out photographs)", bitsPerDim, metrics).ToArray();
            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }

            var png = Path.Combine(folder, GridFile);
            var (rows, columns) = WriteGrid(model, test, samples, seed, png);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {png} ({rows} held-out patches × {columns} columns: gray input, {samples} samples at temperature 1, ground truth) in {clock.Elapsed.TotalSeconds:F0} s"));
            return Section(origin, lines, metrics, model.ImageShape.Width);
        }
    }

    private static (ImageConditionalInnTransformer Model, string Origin) Train(MLContext ml, double minutes, int seed)
    {
        var options = new ConditionalInnTrainerOptions
        {
            ImageHeight = ColorPatches.DefaultPatchSize, ImageWidth = ColorPatches.DefaultPatchSize, NumberOfEpochs = 1000, ValidationFraction = 0, MaxTrainingTime = TimeSpan.FromMinutes(minutes), Seed = seed,
        };
        CinnColorizationTraining.Configure(options);
        var train = ml.Data.LoadWallpaperPatches(ColorPatchSplit.Train);
        var progress = new ProgressBar("colorization", (long)(minutes * 60), "s");
        var clock = Stopwatch.StartNew();
        long steps = 0;
        options.StepCallback = step =>
        {
            steps = step.Step;
            progress.Report((long)clock.Elapsed.TotalSeconds, string.Create(CultureInfo.InvariantCulture, $"step {step.Step}, {step.BitsPerDim:F3} bits/dim"));
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training a colorization conditional INN ({options.Levels} levels × {options.BlocksPerLevel} blocks, {options.HiddenChannels} hidden channels) on {train.GetRowCount()} wallpaper patches for {minutes} min (--colorization-minutes)"));
        var model = ml.Transforms.ImageConditionalInn(options).Fit(train);
        progress.Complete((long)clock.Elapsed.TotalSeconds);
        var origin = string.Create(CultureInfo.InvariantCulture,
            $"a colorization model trained by the demo: {options.Levels} levels × {options.BlocksPerLevel} blocks, {options.HiddenChannels} hidden channels, batch {options.BatchSize}, {steps} steps in {clock.Elapsed.TotalMinutes:F1} min on {train.GetRowCount()} training patches");
        Console.WriteLine($"colorization: {origin}");
        return (model, origin);
    }

    /// <summary>Per row: the gray patch, the samples colorized with its lightness, the true colour.</summary>
    private static (int Rows, int Columns) WriteGrid(ImageConditionalInnTransformer model, IDataView test, int samples, int seed, string path)
    {
        var gray = test.GetColumn<float[]>(ColorPatchColumns.Condition).ToArray();
        var colour = test.GetColumn<float[]>(ColorPatchColumns.Color).ToArray();
        var step = Math.Max(1, gray.Length / GridRows);
        var chosen = Enumerable.Range(0, GridRows).Select(r => r * step).Where(i => i < gray.Length).ToArray();
        var chosenGray = chosen.Select(i => gray[i]).ToArray();
        var drawn = Enumerable.Range(0, samples).Select(k => model.Colorize(chosenGray, 1, unchecked(seed + k)).Pixels).ToArray();
        var images = new List<float[]>();
        for (var r = 0; r < chosen.Length; r++)
        {
            images.Add([.. chosenGray[r], .. chosenGray[r], .. chosenGray[r]]);
            images.AddRange(drawn.Select(d => d[r]));
            images.Add(colour[chosen[r]]);
        }

        var (_, height, width) = model.ImageShape;
        OutputFiles.WriteAllBytes(path, ImageGrid.EncodePng(images, 3, height, width, samples + 2));
        return (chosen.Length, samples + 2);
    }

    private static string Section(string origin, IReadOnlyList<string> lines, ColorizationMetrics metrics, int patchWidth)
    {
        var n = metrics.NumberOfSamples;
        var verdict = metrics.BestOfSamplesMeanSquaredError < Math.Min(metrics.GrayMeanSquaredError, metrics.MeanSampleMeanSquaredError)
            ? $"The best of {n} samples beats both the gray baseline and the mean of the samples."
            : $"The best of {n} samples does not beat both the gray baseline and the mean of the samples yet: train longer (--colorization-minutes, or 'mlnetflows train cinn --colorization wallpapers --max-minutes 30').";
        var width = (n + 2) * (patchWidth + ImageGrid.DefaultGap) * 3;
        return string.Create(CultureInfo.InvariantCulture,
            $"<h2>Colorization (chroma given the lightness)</h2><p>{Escape(origin)}. Colour space: full-range YCbCr (BT.601); the model draws Cb and Cr given Y. " +
            $"Figures on {metrics.NumberOfImages} patches of the held-out wallpaper photographs, chroma scaled to [0, 1]:</p>" +
            $"<table border='1' cellpadding='4'><tr><th>figure</th><th>value</th></tr>" +
            $"<tr><td>best-of-{n} MSE (per patch the closest of {n} samples, T = {metrics.Temperature})</td><td>{metrics.BestOfSamplesMeanSquaredError:F5}</td></tr>" +
            $"<tr><td>MSE of the mean of the {n} samples</td><td>{metrics.MeanSampleMeanSquaredError:F5}</td></tr>" +
            $"<tr><td>gray (zero chroma) MSE</td><td>{metrics.GrayMeanSquaredError:F5}</td></tr>" +
            $"<tr><td>diversity (variance of the chroma across the {n} samples)</td><td>{metrics.Diversity:F5}</td></tr>" +
            $"</table><p>{Escape(lines[0])}. {Escape(verdict)}</p>" +
            $"<p>Rows: held-out patches. Columns: the gray input, {n} samples, the ground truth.</p>" +
            $"<img src='{GridFile}' style='image-rendering:pixelated;width:{width}px'/>");
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
