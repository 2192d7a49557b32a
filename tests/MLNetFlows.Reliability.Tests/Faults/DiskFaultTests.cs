using System.Diagnostics;
using MLNetFlows.Reliability.Tests.Cli;

namespace MLNetFlows.Reliability.Tests.Faults;

/// <summary>
/// A read-only output folder and a full disk: one clear line naming the file, before any work where it can be known
/// before, and no partial file left under the final name. The folders are small tmpfs mounts (this test host runs as
/// root, as CI does here); without the right to mount, the tests fail saying so.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class DiskFaultTests(TinyModel model) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void AReadOnlyOutputFolderIsRefusedBeforeTraining()
    {
        using var readOnly = Mounts.Tmpfs(_directory.File("ro"), "ro,size=1m");
        var clock = Stopwatch.StartNew();

        var line = Tool.Run(TinyModel.TrainArguments(Path.Combine(readOnly.Path, "glow.zip"))).AssertOneLineFailure();

        Assert.StartsWith($"mlnetflows: error: --output '{readOnly.Path}/glow.zip': cannot write in the folder '{readOnly.Path}' (Read-only file system", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(readOnly.Path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void AReadOnlyCheckpointFolderIsRefusedBeforeTraining()
    {
        using var readOnly = Mounts.Tmpfs(_directory.File("ro"), "ro,size=1m");

        var line = Tool.Run(TinyModel.TrainArguments(_directory.File("glow.zip"), "--checkpoint-dir", Path.Combine(readOnly.Path, "checkpoints"))).AssertOneLineFailure();

        Assert.StartsWith($"mlnetflows: error: --checkpoint-dir '{readOnly.Path}/checkpoints': cannot create the folder (Read-only file system", line, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("glow.zip")));
    }

    [Theory]
    [InlineData("score")]
    [InlineData("sample")]
    public void AFullDiskNamesTheOutputAndLeavesNoFile(string command)
    {
        using var full = Mounts.Tmpfs(_directory.File("full"), "size=48k");
        var output = Path.Combine(full.Path, command == "score" ? "scores.csv" : "samples.png");
        string[] args = command == "score"
            ? ["score", "--model", model.Path, "--data", "fashion-mnist-test", "--limit", "3000", "--output", output, "--threads", "1"]
            : ["sample", "--model", model.Path, "--count", "400", "--temperature", "1", "--output", output, "--threads", "1"];

        var line = Tool.Run(args).AssertOneLineFailure();

        Assert.StartsWith($"mlnetflows: error: cannot write '{output}': No space left on device", line, StringComparison.Ordinal);
        Assert.EndsWith("; nothing was written under that name", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(full.Path));
    }

    [Fact]
    public void AFullDiskDuringCheckpointingKeepsTheLastCompleteCheckpoint()
    {
        // 64 KB holds one checkpoint of the tiny model (57 KB) but not a second beside it.
        using var full = Mounts.Tmpfs(_directory.File("full"), "size=64k");

        var line = Tool.Run(TinyModel.TrainArguments(_directory.File("glow.zip"), "--epochs", "2", "--checkpoint-dir", full.Path)).AssertFailureAfterProgress();

        Assert.Contains("No space left on device", line, StringComparison.Ordinal);
        var checkpoint = Assert.Single(Directory.GetFiles(full.Path));
        Assert.Equal("glow-checkpoint.safetensors", Path.GetFileName(checkpoint));
        Assert.Null(SafetensorsCheck.Problem(checkpoint));
        Assert.False(File.Exists(_directory.File("glow.zip")));
    }
}
