using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Bench.Cinn;

/// <summary>
/// Colorization quality of the image-conditioned INN (the conditional INN paper's colorization experiment, on the
/// photographs of plasma-workspace-wallpapers): trains <c>mlContext.Transforms.ImageConditionalInn</c> on the 32 × 32
/// training patches for a wall-clock budget, then on the patches of the held-out photographs reports, per temperature,
/// the paper's best-of-8 MSE (per patch the lowest MSE of 8 samples to the true chroma, averaged), the MSE of the mean of
/// the 8 samples, the gray (zero-chroma, Cb = Cr = 127.5) baseline and the diversity (the chroma variance across the 8
/// samples, averaged over pixels and patches) — all on the chroma scaled to [0, 1] — plus the test bits/dim of the chroma
/// given the lightness. The figures come from the library (<see cref="ImageConditionalInnTransformer.EvaluateColorization"/>).
/// Writes a colorization grid PNG (per row: gray input, the samples, ground truth) and prints one JSON line on stdout.
/// <c>colorize speed</c> runs <see cref="ColorizationSpeedBenchmark"/> instead.
/// </summary>
internal static class ColorizationBenchmark
{
    public const string Usage = "MLNetFlows.Bench colorize [--threads N] [--minutes M] [--batch B] [--levels L] [--blocks K] [--hidden H] [--condition-features F] [--learning-rate R] [--temperatures 1,0.7] [--samples 8] [--grid colorization-grid.png] [--seed S]";

    public static int Run(string[] args)
    {
        if (args is ["speed", ..])
        {
            return ColorizationSpeedBenchmark.Run(args[1..]);
        }

        var settings = new ColorizationSettings();
        if (!settings.Parse(args))
        {
            Console.Error.WriteLine($"usage: {Usage}");
            return 2;
        }

        Models.Runtime.TorchRuntime.EnsureInitialized();
        TorchSharp.torch.set_num_threads(settings.Threads);
        var ml = new MLContext(settings.Seed);
        var train = ml.Data.LoadWallpaperPatches(ColorPatchSplit.Train);
        var test = ml.Data.LoadWallpaperPatches(ColorPatchSplit.Test);
        var options = settings.Options();
        long steps = 0;
        options.StepCallback = s => steps = s.Step;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"colorization: {train.GetRowCount()} training patches, {test.GetRowCount()} test patches (held-out photographs), {options.Levels} levels × {options.BlocksPerLevel} blocks, {options.HiddenChannels} hidden, {options.ConditionFeatureChannels} condition features, batch {options.BatchSize}, {settings.Threads} thread(s), {settings.Minutes} min"));
        var clock = Stopwatch.StartNew();
        using var model = ml.Transforms.ImageConditionalInn(options).Fit(train);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var history = model.TrainingHistory;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained {steps} steps ({history.Count} epochs) in {trainSeconds:F0} s"));

        var bitsPerDim = model.EvaluateBitsPerDim(test, settings.Seed);
        var trainBitsPerDim = model.EvaluateBitsPerDim(ml.Data.LoadWallpaperPatches(ColorPatchSplit.Train, limit: (int)test.GetRowCount()!), settings.Seed);
        var perPatch = model.Transform(test).GetColumn<float>(ImageConditionalInnColumns.BitsPerDim).Order().ToArray();
        var gray = test.GetColumn<float[]>(ColorPatchColumns.Condition).ToArray();
        var colour = test.GetColumn<float[]>(ColorPatchColumns.Color).ToArray();
        var results = new List<ColorizationMetrics>();
        clock.Restart();
        foreach (var temperature in settings.Temperatures)
        {
            var metrics = model.EvaluateColorization(test, settings.Samples, temperature, settings.Seed);
            results.Add(metrics);
            Console.Error.WriteLine(metrics);
        }

        var scoreSeconds = clock.Elapsed.TotalSeconds;
        File.WriteAllBytes(settings.GridPath, Grid(model, gray, colour, settings, rows: 8));
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "cinn-colorization",
            threads = settings.Threads,
            minutes = settings.Minutes,
            architecture = new { options.Levels, options.BlocksPerLevel, options.HiddenChannels, options.ConditionFeatureChannels, options.BatchSize, options.LearningRate },
            trainingPatches = train.GetRowCount(),
            testPatches = test.GetRowCount(),
            steps,
            epochs = history.Count,
            trainImagesPerSecond = steps * options.BatchSize / trainSeconds,
            lastTrainBitsPerDim = history.Count > 0 ? history[^1].TrainBitsPerDim : double.NaN,
            testBitsPerDim = bitsPerDim,
            testMedianBitsPerDim = perPatch[perPatch.Length / 2],
            testWorstBitsPerDim = perPatch[^1],
            trainSubsetBitsPerDim = trainBitsPerDim,
            samplesPerSecond = settings.Temperatures.Length * settings.Samples * gray.Length / scoreSeconds,
            results,
            grid = settings.GridPath,
        }));
        return 0;
    }

    /// <summary>
    /// Rows of: the gray input, every sample at the first temperature (colorized with the input's lightness), the ground
    /// truth — for <paramref name="rows"/> test patches spread over the set.
    /// </summary>
    private static byte[] Grid(ImageConditionalInnTransformer model, float[][] gray, float[][] colour, ColorizationSettings settings, int rows)
    {
        var step = Math.Max(1, gray.Length / rows);
        var chosen = Enumerable.Range(0, rows).Select(r => r * step).Where(i => i < gray.Length).ToArray();
        var chosenGray = chosen.Select(i => gray[i]).ToArray();
        var samples = Enumerable.Range(0, settings.Samples).Select(k => model.Colorize(chosenGray, settings.Temperatures[0], settings.Seed + k).Pixels).ToArray();
        var images = new List<float[]>();
        for (var r = 0; r < chosen.Length; r++)
        {
            images.Add([.. chosenGray[r], .. chosenGray[r], .. chosenGray[r]]);
            images.AddRange(samples.Select(s => s[r]));
            images.Add(colour[chosen[r]]);
        }

        var side = (int)Math.Sqrt(gray[0].Length);
        return ImageGrid.EncodePng(images, 3, side, side, columns: settings.Samples + 2);
    }
}
