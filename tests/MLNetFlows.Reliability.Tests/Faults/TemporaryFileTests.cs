using System.Diagnostics;
using Microsoft.ML;
using MLNetFlows.Trainers.Checkpoints;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Reliability.Tests.Faults;

/// <summary>
/// A killed write leaves its temporary file behind (the target stays whole: see <see cref="KillResumeTests"/>); the next
/// save or resume removes the temporary files of that target that no running process owns, and nothing else.
/// </summary>
public sealed class TemporaryFileTests : IDisposable
{
    private const string Checkpoint = "glow-checkpoint.safetensors";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void OnlyTheStaleTemporaryFilesOfTheTargetAreRemoved()
    {
        var dead = ExitedProcessId();
        var own = Environment.ProcessId;
        string[] stale = [Temporary(Checkpoint, dead), Temporary(Checkpoint, own), $"glow.zip.{dead}.tmp"];
        string[] kept =
        [
            Temporary(Checkpoint, 1),                       // pid 1 runs and started before this file was written: a live write
            Temporary("infogan-checkpoint.safetensors", dead), // another target
            $".{Checkpoint}.{dead}.tmp",                   // not our pattern (no 32-digit suffix)
            $".{Checkpoint}.x{dead}.{Guid.NewGuid():N}.tmp",
            "notes.tmp",
            Checkpoint,
        ];
        foreach (var name in stale.Concat(kept))
        {
            File.WriteAllText(_directory.File(name), "partial");
        }

        var removed = StaleTemporaryFiles.Remove(_directory.Path, Checkpoint).Concat(StaleTemporaryFiles.Remove(_directory.Path, "glow.zip"));

        Assert.Equal(stale.Order(StringComparer.Ordinal), removed.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(kept.Order(StringComparer.Ordinal), Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(StaleTemporaryFiles.Remove(_directory.File("missing"), Checkpoint));
    }

    /// <summary>Each model's training, started over a checkpoint folder a killed run left a temporary file in, removes it.</summary>
    [Theory]
    [InlineData("glow")]
    [InlineData("cinn")]
    [InlineData("infogan")]
    public void TrainingWithACheckpointFolderRemovesTheTemporaryFileAKilledRunLeft(string kind)
    {
        var checkpoints = _directory.File("checkpoints");
        Directory.CreateDirectory(checkpoints);
        var leftover = Path.Combine(checkpoints, Temporary($"{kind}-checkpoint.safetensors", ExitedProcessId()));
        File.WriteAllBytes(leftover, new byte[100]);
        var ml = new MLContext(1);
        var data = ml.Data.LoadFashionMnist(FashionMnistSplit.Train, limit: 32);

        ITransformer fitted = kind switch
        {
            "glow" => ml.Transforms.Glow(new Trainers.Glow.GlowTrainerOptions
            {
                ImageHeight = 28, ImageWidth = 28, Levels = 2, StepsPerLevel = 1, HiddenChannels = 4, NumberOfEpochs = 1, BatchSize = 16,
                Seed = 1, ValidationFraction = 0, CheckpointDirectory = checkpoints,
            }).Fit(data),
            "cinn" => ml.Transforms.ConditionalInn(With(OtherModels.ConditionalInnOptions(), o => o.CheckpointDirectory = checkpoints)).Fit(data),
            _ => ml.Transforms.InfoGan(With(OtherModels.InfoGanOptions(), o => o.CheckpointDirectory = checkpoints)).Fit(data),
        };
        (fitted as IDisposable)?.Dispose();

        Assert.False(File.Exists(leftover), "the killed run's temporary file is still there");
        Assert.True(File.Exists(Path.Combine(checkpoints, $"{kind}-checkpoint.safetensors")), "no checkpoint was written");
        Assert.Empty(Directory.GetFiles(checkpoints, "*.tmp"));
    }

    private static T With<T>(T options, Action<T> change)
    {
        change(options);
        return options;
    }

    private static string Temporary(string target, int pid) => $".{target}.{pid}.{Guid.NewGuid():N}.tmp";

    /// <summary>The id of a process that has exited (and whose id no process has taken since, almost surely).</summary>
    private static int ExitedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
