using System.Diagnostics;
using MLNetFlows.Reliability.Tests.Cli;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// Paths that are not regular files: a named pipe in a folder of images blocked <c>mlnetflows score</c> forever (the
/// open waits for a writer), and a CSV listing <c>/dev/zero</c> read without end. Both are now reported and skipped.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class SpecialFileTests(TinyModel model) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void PipesAndDevicesAreReportedNotReadForever()
    {
        var folder = Directory.CreateDirectory(_directory.File("images")).FullName;
        File.Copy(ImageFuzzer.Seeds().First(s => s.EndsWith(".png", StringComparison.Ordinal)), Path.Combine(folder, "a.png"));
        MakeFifo(Path.Combine(folder, "pipe.png"));
        var list = _directory.File("list.csv");
        File.WriteAllText(list, $"path\n{folder}/a.png\n{folder}/pipe.png\n/dev/zero\n/dev/null\n{folder}\n");
        var csv = _directory.File("scores.csv");

        var run = Tool.Run(TimeSpan.FromSeconds(60), "score", "--model", model.Path, "--data", list, "--output", csv, "--threads", "1").AssertSuccess();

        Assert.Equal(2, File.ReadAllLines(csv).Length);
        Assert.Contains("skipped 4 unreadable image(s) of " + list + ":", run.ErrorLines);
        Assert.Contains($"{folder}/pipe.png: the file is empty (0 bytes) or not a regular file (a pipe or a device): not read", run.ErrorLines);
        Assert.Contains("/dev/zero: the file is empty (0 bytes) or not a regular file (a pipe or a device): not read", run.ErrorLines);
        Assert.Contains($"{folder}: the path is a folder, not an image file", run.ErrorLines);
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start("mkfifo", [path]);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
