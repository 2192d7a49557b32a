using System.CommandLine;
using System.Globalization;
using MLNetFlows.Cli.Data;

namespace MLNetFlows.Cli.Commands;

/// <summary>
/// <c>mlnetflows evaluate</c>: test-set bits/dim of the normal data and, for each out-of-distribution set, AUROC of every
/// score (raw bits/dim, complexity-corrected, complexity alone, each level's bits/dim, the detector's Score).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var normal = new Option<string>("--normal") { Description = "In-distribution test set.", DefaultValueFactory = _ => "fashion-mnist-test" };
        var anomalous = new Option<string[]>("--anomalous")
        {
            Description = "Out-of-distribution sets.", AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["mnist", "fashion-mnist-inverted", "noise", "constant"],
        };
        var samples = new Option<int>("--importance-samples")
        {
            Description = "Also report the importance-weighted bound on test bits/dim with this many dequantisation draws per image (1: off).",
            DefaultValueFactory = _ => 1,
        };
        samples.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--importance-samples must be at least 1");
            }
        });
        var limit = CommonOptions.Limit();
        var threads = CommonOptions.Threads();
        var command = new Command("evaluate", "Report test bits/dim and out-of-distribution AUROC.") { model, normal, anomalous, samples, limit, threads };
        command.SetAction(r =>
        {
            TorchSettings.Apply(r.GetValue(threads));
            var ml = new MLContext(0);
            using var detector = ModelFile.LoadDetector(ml, r.GetValue(model)!);
            var normalData = ImageSets.LoadBuiltIn([r.GetValue(normal)!], Shard.All, r.GetValue(limit));
            var normalSet = ScoredSet.Read(r.GetValue(normal)!, detector, normalData);
            Console.WriteLine(TestBitsPerDim(normalSet, detector.Density.EvaluateBitsPerDim(normalData)));
            if (r.GetValue(samples) is > 1 and var k)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{normalSet.Name}: {detector.Density.EvaluateBitsPerDim(normalData, samples: k):F4} bits/dim, importance-weighted bound with {k} dequantisation draws per image"));
            }

            foreach (var name in r.GetValue(anomalous)!)
            {
                var set = ScoredSet.Read(name, detector, ImageSets.LoadBuiltIn([name], Shard.All, r.GetValue(limit)));
                Console.WriteLine($"AUROC, {normalSet.Name} normal vs {name} anomalous ({set.Count} images, {set.BitsPerDim.Average():F3} bits/dim):");
                foreach (var (score, auroc) in normalSet.AurocTable(set, detector.ScoreKind))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {score,-36} {auroc:F4}"));
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// The test-set line: bits/dim per original pixel under uniform dequantisation (the bound papers report), then at
    /// the bin centres (the mean of the per-image scores).
    /// </summary>
    public static string TestBitsPerDim(ScoredSet set, double dequantizedBitsPerDim) => string.Create(CultureInfo.InvariantCulture,
        $"{set.Name}: {dequantizedBitsPerDim:F4} bits/dim over {set.Count} images (per original pixel, uniform dequantisation: the bound papers report); {set.BitsPerDim.Average():F4} at the bin centres (the per-image scores)");
}
