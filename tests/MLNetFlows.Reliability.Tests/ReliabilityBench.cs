using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Reliability.Tests.Faults;
using MLNetFlows.Reliability.Tests.Fuzzing;
using MLNetFlows.Reliability.Tests.Load;

namespace MLNetFlows.Reliability.Tests;

/// <summary>
/// The test assembly as the console program of bench/reliability/*.sh, running the tests' harnesses with large budgets:
/// <list type="bullet">
/// <item><c>images &lt;count&gt; &lt;seed&gt; &lt;model.zip&gt;</c>: mutated images through the library, then the same folder through <c>mlnetflows score</c>;</item>
/// <item><c>models &lt;count&gt; &lt;seed&gt; &lt;model.zip&gt; [cli-every] [open-defects]</c>: mutated model zips through <c>mlContext.Model.LoadChecked</c> (progress every 250 files; RELIABILITY_TRACE=1: each file on stderr), every cli-every-th also through the CLI; open-defects 1 also draws huge architecture sizes and the 64 MB decompression bomb (former open defects, refused in milliseconds now);</item>
/// <item><c>write-model &lt;index&gt; &lt;seed&gt; &lt;model.zip&gt; &lt;out.zip&gt;</c>: writes one mutation of a <c>models</c> run, to reproduce a finding;</item>
/// <item><c>tiny-model cinn|infogan &lt;out.zip&gt;</c>: fits and saves the tests' tiny conditional INN or InfoGAN (<see cref="OtherModels"/>), for <c>models</c>;</item>
/// <item><c>kill &lt;trials&gt; &lt;seed&gt;</c>: <c>kill -9</c> of training runs at random moments, resumed, compared with an uninterrupted run;</item>
/// <item><c>soak &lt;minutes&gt; &lt;model.zip&gt; [threads]</c>: Fashion-MNIST scored in a loop (libtorch threads: default all cores), RSS and live tensors sampled every 10 s.</item>
/// </list>
/// Exit code 0 when nothing crashed, hung or leaked; 1 otherwise; 2 for a usage error.
/// </summary>
internal static class ReliabilityBench
{
    private static int Main(string[] args)
    {
        var clock = Stopwatch.StartNew();
        var ok = args switch
        {
            ["images", var count, var seed, var model] => Images(Int(count), Int(seed), model),
            ["models", var count, var seed, var model] => Models(Int(count), Int(seed), model, 0, false),
            ["models", var count, var seed, var model, var cliEvery] => Models(Int(count), Int(seed), model, Int(cliEvery), false),
            ["models", var count, var seed, var model, var cliEvery, var open] => Models(Int(count), Int(seed), model, Int(cliEvery), open == "1"),
            ["write-model", var index, var seed, var model, var output] => WriteModel(Int(index), Int(seed), model, output),
            ["tiny-model", var kind, var output] => WriteTinyModel(kind, output),
            ["kill", var trials, var seed] => KillResume.Bench(Int(trials), Int(seed), Console.WriteLine),
            ["soak", var minutes, var model] => Soak.Run(double.Parse(minutes, CultureInfo.InvariantCulture), model, Environment.ProcessorCount, TimeSpan.FromSeconds(10), Console.WriteLine).Flat,
            ["soak", var minutes, var model, var threads] => Soak.Run(double.Parse(minutes, CultureInfo.InvariantCulture), model, Int(threads), TimeSpan.FromSeconds(10), Console.WriteLine).Flat,
            _ => (bool?)null,
        };
        if (ok is null)
        {
            Console.Error.WriteLine("usage: images <count> <seed> <model.zip> | models <count> <seed> <model.zip> [cli-every] [open-defects 0|1] | write-model <index> <seed> <model.zip> <out.zip> | tiny-model cinn|infogan <out.zip> | kill <trials> <seed> | soak <minutes> <model.zip> [threads]");
            return 2;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(ok.Value ? "PASS" : "FAIL")} in {clock.Elapsed.TotalSeconds:F0} s"));
        return ok.Value ? 0 : 1;
    }

    private static bool Images(int count, int seed, string model)
    {
        using var directory = new TempDirectory();
        var files = ImageFuzzer.WriteMutations(directory.Path, count, seed);
        var clock = Stopwatch.StartNew();
        var tally = ImageFuzzer.Run(files, TimeSpan.FromSeconds(10));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"library (LoadImagesSafely pipeline): {count} mutated files from {ImageFuzzer.Seeds().Count} seeds, seed {seed}, {clock.Elapsed.TotalSeconds:F1} s"));
        Console.WriteLine(tally.Summary());
        var cli = Cli.Tool.Run(TimeSpan.FromMinutes(30), "score", "--model", model, "--data", directory.Path, "--output", Path.Combine(directory.Path, "scores.csv"), "--threads", "1");
        var scored = cli.ExitCode == 0 ? File.ReadAllLines(Path.Combine(directory.Path, "scores.csv")).Length - 1 : 0;
        var skippedLine = cli.ErrorLines.FirstOrDefault(l => l.StartsWith("skipped ", StringComparison.Ordinal)) ?? "skipped 0";
        var skipped = int.Parse(skippedLine.Split(' ')[1], CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mlnetflows score over the same folder: exit code {cli.ExitCode}, {scored} scored, {skipped} skipped and reported, {cli.Elapsed.TotalSeconds:F1} s"));
        return tally.Crashed == 0 && tally.Hung == 0 && tally.Total == count && cli.ExitCode == 0 && scored + skipped == count;
    }

    private static bool Models(int count, int seed, string model, int cliEvery, bool openDefects)
    {
        var bytes = File.ReadAllBytes(model);
        var clock = Stopwatch.StartNew();
        // RELIABILITY_TRACE=1: each file's index on stderr once it is done, to find a file that kills the process.
        var trace = Environment.GetEnvironmentVariable("RELIABILITY_TRACE") == "1";
        void Progress(int done, FuzzTally soFar, long allocated)
        {
            if (trace)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {done - 1}: RSS {Environment.WorkingSet >> 20} MB"));
            }

            if (done % 250 == 0 && done < count)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after {done} files, {clock.Elapsed.TotalSeconds:F0} s: {soFar.Accepted} accepted, {soFar.Refused} refused, {soFar.Crashed} crashed, {soFar.Hung} hung; largest managed allocation of one load {allocated / 1024.0 / 1024.0:F1} MB; RSS {Environment.WorkingSet >> 20} MB"));
            }
        }

        var (tally, maxAllocated, maxFile) = ModelFuzzer.Run(bytes, count, seed, TinyModel.Rows(new MLContext(0)), TimeSpan.FromSeconds(20), openDefects, Progress);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"library (mlContext.Model.LoadChecked + scoring): {count} mutated model zips of {bytes.Length} bytes, seed {seed}, open defects {(openDefects ? "drawn" : "not drawn")}, {clock.Elapsed.TotalSeconds:F1} s"));
        Console.WriteLine(tally.Summary());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"largest managed allocation of one load: {maxAllocated / 1024.0 / 1024.0:F1} MB ({maxFile}); peak RSS of the process {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB"));
        var cliTally = new FuzzTally();
        if (cliEvery > 0)
        {
            using var directory = new TempDirectory();
            for (var i = 0; i < count; i += cliEvery)
            {
                var (kind, mutated) = ModelFuzzer.Mutation(bytes, seed, i, openDefects);
                var path = directory.File($"{i}.zip");
                File.WriteAllBytes(path, mutated);
                var run = Cli.Tool.Run(TimeSpan.FromSeconds(60), "score", "--model", path, "--data", "constant", "--limit", "4", "--output", directory.File("s.csv"), "--threads", "1");
                if (run.HungAfter is { } limit)
                {
                    cliTally.Hang(kind.ToString(), path, limit);
                }
                else if (run.ExitCode == 0)
                {
                    cliTally.Accept(kind.ToString());
                }
                else if (run.IsOneLineFailure)
                {
                    cliTally.Refuse(kind.ToString(), run.ErrorLines[0]);
                }
                else
                {
                    cliTally.Crash(kind.ToString(), $"model {i}", run.Describe());
                }
            }

            Console.WriteLine($"mlnetflows score, every {cliEvery}th mutation:");
            Console.WriteLine(cliTally.Summary());
        }

        return tally.Crashed == 0 && tally.Hung == 0 && cliTally.Crashed == 0 && cliTally.Hung == 0;
    }

    private static bool WriteModel(int index, int seed, string model, string output)
    {
        var (kind, bytes) = ModelFuzzer.Mutation(File.ReadAllBytes(model), seed, index, openDefects: true);
        File.WriteAllBytes(output, bytes);
        Console.WriteLine($"wrote {output}: model {index} ({kind}, seed {seed}), {bytes.Length} bytes");
        return true;
    }

    private static bool WriteTinyModel(string kind, string output)
    {
        if (kind is not ("cinn" or "infogan"))
        {
            Console.Error.WriteLine($"unknown model kind '{kind}': expected cinn or infogan (a glow model comes from 'mlnetflows train glow')");
            return false;
        }

        var bytes = kind == "cinn" ? OtherModels.FitConditionalInn() : OtherModels.FitInfoGan();
        File.WriteAllBytes(output, bytes);
        Console.WriteLine($"wrote {output}: a tiny {kind} model, {bytes.Length} bytes");
        return true;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
