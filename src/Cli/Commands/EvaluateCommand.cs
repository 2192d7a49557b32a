using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Cli.Data;
using MLNetFlows.Cli.Reporting;

namespace MLNetFlows.Cli.Commands;

/// <summary>
/// <c>mlnetflows evaluate</c>: test-set bits/dim of the normal data and, for each out-of-distribution input, AUROC of
/// every score (raw bits/dim, complexity-corrected, complexity alone, each level's bits/dim, the detector's Score).
/// Each input is a built-in set or a folder or CSV of images; all are checked and opened (folders listed, CSVs read)
/// before the model is loaded and anything is scored.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var normal = new Option<string>("--normal") { Description = "In-distribution test set: a built-in set, a folder or a CSV of images.", DefaultValueFactory = _ => "fashion-mnist-test" };
        var anomalous = new Option<string[]>("--anomalous")
        {
            Description = "Out-of-distribution sets, each a built-in set, a folder or a CSV of images.", AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["mnist", "fashion-mnist-inverted", "noise", "constant"],
        };
        var samples = CommonOptions.Require(
            new Option<int>("--importance-samples")
            {
                Description = "Also report the importance-weighted bound on test bits/dim with this many dequantisation draws per image (1: off).",
                DefaultValueFactory = _ => 1,
            },
            k => k >= 1,
            _ => "--importance-samples must be at least 1");
        var onBadImage = CommonOptions.OnBadImage();
        var limit = CommonOptions.Limit();
        var threads = CommonOptions.Threads();
        var command = new Command("evaluate", "Report test bits/dim and out-of-distribution AUROC.") { model, normal, anomalous, samples, onBadImage, limit, threads };
        command.SetAction(r =>
        {
            var normalSpec = DataSpec.ParseInput([r.GetValue(normal)!]);
            var anomalousSpecs = r.GetValue(anomalous)!.Select(a => DataSpec.ParseInput([a])).ToArray();
            if (anomalousSpecs.Length == 0)
            {
                throw new ArgumentException("--anomalous needs at least one set");
            }

            TorchSettings.Apply(r.GetValue(threads));
            var ml = new MLContext(0);
            var normalInput = ImageInput.Load(ml, normalSpec, Shard.All, r.GetValue(limit), r.GetValue(onBadImage));
            var anomalousInputs = anomalousSpecs.Select(spec => ImageInput.Load(ml, spec, Shard.All, r.GetValue(limit), r.GetValue(onBadImage))).ToArray();
            using var detector = ModelFile.LoadDetector(ml, r.GetValue(model)!);
            var normalSet = ScoredSet.Read(detector, normalInput, new ProgressBar($"score {normalInput.Name}", normalInput.ExpectedRows, "images"));
            Console.WriteLine(TestBitsPerDim(normalSet, detector.Density.EvaluateBitsPerDim(normalInput.Data)));
            if (r.GetValue(samples) is > 1 and var k)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{normalSet.Name}: {detector.Density.EvaluateBitsPerDim(normalInput.Data, samples: k):F4} bits/dim, importance-weighted bound with {k} dequantisation draws per image"));
            }

            foreach (var input in anomalousInputs)
            {
                var set = ScoredSet.Read(detector, input, new ProgressBar($"score {input.Name}", input.ExpectedRows, "images"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"AUROC, {normalSet.Name} normal vs {set.Name} anomalous ({set.Count} images, {set.BitsPerDim.Average():F3} bits/dim):"));
                foreach (var (score, auroc) in normalSet.AurocTable(ml, set, detector.ScoreKind))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {score,-36} {auroc:F4}"));
                }
            }

            return 0;
        });
        command.Subcommands.Add(Cinn.CinnEvaluateCommand.Create());
        return command;
    }

    /// <summary>
    /// The test-set line: bits/dim per original pixel under uniform dequantisation (the bound papers report), then at
    /// the bin centres (the mean of the per-image scores).
    /// </summary>
    public static string TestBitsPerDim(ScoredSet set, double dequantizedBitsPerDim) => string.Create(CultureInfo.InvariantCulture,
        $"{set.Name}: {dequantizedBitsPerDim:F4} bits/dim over {set.Count} images (per original pixel, uniform dequantisation: the bound papers report); {set.BitsPerDim.Average():F4} at the bin centres (the per-image scores)");
}
