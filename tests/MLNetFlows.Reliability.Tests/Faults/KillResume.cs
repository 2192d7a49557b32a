using System.Diagnostics;
using System.Globalization;
using MLNetFlows.Reliability.Tests.Cli;

namespace MLNetFlows.Reliability.Tests.Faults;

/// <summary>
/// <c>kill -9</c> of <c>mlnetflows train glow --checkpoint-dir</c> at random moments (a checkpoint every step, so many
/// kills land in or near a checkpoint write), then resume until a run completes: after every kill the checkpoint on
/// disk must be absent or complete, and the finished model's weights must equal those of an uninterrupted run, byte for
/// byte.
/// </summary>
internal static class KillResume
{
    /// <summary>The training arguments every run of one comparison uses (3 epochs of 7 steps, a checkpoint every step).</summary>
    public static string[] Arguments(string output, string? checkpoints) =>
        TinyModel.TrainArguments(output, ["--epochs", "3", .. checkpoints is null ? Array.Empty<string>() : ["--checkpoint-dir", checkpoints, "--checkpoint-every", "1"]]);

    /// <summary>Trains without interruption and returns the weights entry of the saved model.</summary>
    public static byte[] Reference(string directory)
    {
        var output = Path.Combine(directory, "reference.zip");
        Tool.Run(Arguments(output, null)).AssertSuccess();
        return Weights(output);
    }

    /// <summary>
    /// One trial: starts the run, kills it after a random delay in [<paramref name="minDelay"/>, <paramref name="maxDelay"/>]
    /// up to <paramref name="kills"/> times (checking the checkpoint and the output after each), then lets a run finish.
    /// A model file present after a kill must be the finished model (<paramref name="reference"/>'s weights): the kill
    /// then landed after the run had saved it (written under a temporary name and renamed) and before the process
    /// ended, and the trial kills no further.
    /// </summary>
    public static Trial Run(string directory, int kills, Random random, TimeSpan minDelay, TimeSpan maxDelay, byte[] reference)
    {
        var checkpoints = Path.Combine(directory, "checkpoints");
        var output = Path.Combine(directory, "model.zip");
        var problems = new List<string>();
        var landed = 0;
        var tornWrites = 0;
        for (var k = 0; k < kills; k++)
        {
            var delay = minDelay + ((maxDelay - minDelay) * random.NextDouble());
            using var process = Tool.Start(Arguments(output, checkpoints));
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (process.WaitForExit(delay))
            {
                break; // finished before the kill: the run is complete
            }

            var pid = process.Id;
            process.Kill(); // SIGKILL on Unix: no handler, no flush, no finally
            process.WaitForExit();
            landed++;
            if (Directory.Exists(checkpoints) && Directory.GetFiles(checkpoints, $"*.{pid}.*.tmp").Length > 0)
            {
                tornWrites++; // the killed process's temporary checkpoint is there: the kill landed inside a write
            }

            var checkpoint = Path.Combine(checkpoints, "glow-checkpoint.safetensors");
            if (File.Exists(checkpoint) && SafetensorsCheck.Problem(checkpoint) is { } problem)
            {
                problems.Add($"after kill {k + 1} at {delay.TotalSeconds:F2} s the checkpoint is torn: {problem}");
            }

            if (File.Exists(output))
            {
                if (!IsModel(output, reference))
                {
                    problems.Add($"after kill {k + 1} at {delay.TotalSeconds:F2} s the output '{output}' exists but is not the finished model");
                }

                break;
            }
        }

        var final = Tool.Run(Arguments(output, checkpoints));
        if (final.ExitCode != 0)
        {
            problems.Add($"the resumed run failed: {final.Describe()}");
        }

        return new Trial(landed, tornWrites, Temporaries(checkpoints), final.ExitCode == 0 ? Weights(output) : [], problems);
    }

    /// <summary>The bench: <paramref name="trials"/> trials of 1–4 kills each, against one reference run.</summary>
    public static bool Bench(int trials, int seed, Action<string> log)
    {
        using var directory = new TempDirectory();
        var clock = Stopwatch.StartNew();
        var reference = Reference(directory.Path);
        var uninterrupted = clock.Elapsed;
        log(string.Create(CultureInfo.InvariantCulture, $"uninterrupted run: {uninterrupted.TotalSeconds:F1} s; {trials} trials, seed {seed}"));
        var random = new Random(seed);
        int kills = 0, torn = 0, same = 0, failed = 0, leftovers = 0;
        for (var t = 0; t < trials; t++)
        {
            using var trialDirectory = new TempDirectory();
            var trial = Run(trialDirectory.Path, random.Next(1, 5), random, TimeSpan.FromSeconds(0.5), uninterrupted, reference);
            kills += trial.Kills;
            torn += trial.KillsDuringCheckpointWrite;
            leftovers += trial.LeftoverTemporaries;
            var identical = trial.Weights.AsSpan().SequenceEqual(reference);
            same += identical ? 1 : 0;
            failed += trial.Problems.Count > 0 || !identical ? 1 : 0;
            foreach (var problem in trial.Problems)
            {
                log($"trial {t}: {problem}");
            }

            if (!identical && trial.Problems.Count == 0)
            {
                log($"trial {t}: the resumed model's weights differ from the uninterrupted run's");
            }
        }

        log(string.Create(CultureInfo.InvariantCulture,
            $"{trials} trials, {kills} kill -9 ({torn} during a checkpoint write, seen by a temporary file left behind): {same} resumed runs reached weights identical to the uninterrupted run, {failed} failed; {leftovers} temporary files left in checkpoint folders"));
        return failed == 0;
    }

    /// <summary>The weights.safetensors entry of a saved model zip.</summary>
    public static byte[] Weights(string modelZip) =>
        Fuzzing.ModelMutator.Read(File.ReadAllBytes(modelZip)).Single(e => e.Key.EndsWith("weights.safetensors", StringComparison.Ordinal)).Value;

    private static bool IsModel(string modelZip, byte[] weights)
    {
        try
        {
            return Weights(modelZip).AsSpan().SequenceEqual(weights);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException)
        {
            return false; // not a zip, or no weights entry
        }
    }

    private static int Temporaries(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder, "*.tmp").Length : 0;
}

/// <summary>What one kill-and-resume trial saw.</summary>
internal sealed record Trial(int Kills, int KillsDuringCheckpointWrite, int LeftoverTemporaries, byte[] Weights, IReadOnlyList<string> Problems);
