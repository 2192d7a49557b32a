using System.Diagnostics;

namespace MLNetFlows.Cli.Tests;

/// <summary>The mlnetflows tool run as users run it: a separate process, exit codes, stdout/stderr, files written.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnf-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlnetflows.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "the command did not finish in 3 minutes");
        return (process.ExitCode, output.Result, error.Result);
    }

    [Theory]
    [InlineData("mlnetflows: error: --shard must be i/N with 0 ≤ i < N (e.g. 0/4), got '3/3'", "score", "--model", "{dir}/m.zip", "--shard", "3/3")]
    [InlineData("mlnetflows: error: model file '{dir}/missing.zip' does not exist; train one with 'mlnetflows train glow --output {dir}/missing.zip'", "sample", "--model", "{dir}/missing.zip")]
    [InlineData("mlnetflows: error: '{dir}/nowhere' is neither a folder, a .csv file nor a built-in set (fashion-mnist, fashion-mnist-test, mnist, fashion-mnist-inverted, noise, constant)", "train", "glow", "--data", "{dir}/nowhere", "--output", "{dir}/m.zip")]
    [InlineData("mlnetflows: error: BatchSize must be at least 1, got 0 (Parameter 'BatchSize')", "train", "glow", "--batch-size", "0", "--output", "{dir}/m.zip", "--limit", "10")]
    public void ErrorsAreOneClearLineAndExitCodeOne(string expected, params string[] args)
    {
        var (exitCode, _, error) = Run(args.Select(a => a.Replace("{dir}", _directory, StringComparison.Ordinal)).ToArray());

        Assert.Equal(1, exitCode);
        Assert.Equal(expected.Replace("{dir}", _directory, StringComparison.Ordinal), error.Trim());
    }

    [Fact]
    public void TrainScoreShardSampleAndEvaluateEndToEnd()
    {
        var model = Path.Combine(_directory, "glow.zip");
        var train = Run("train", "glow", "--data", "fashion-mnist", "--limit", "256", "--epochs", "1", "--levels", "2", "--steps", "1",
            "--hidden", "8", "--batch-size", "32", "--output", model, "--threads", "1");
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("saved " + model, train.Output);

        var images = Directory.CreateDirectory(Path.Combine(_directory, "images")).FullName;
        var pngs = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "MLNetFlows.Torch.Tests", "Images");
        File.Copy(Path.Combine(pngs, "valid", "gray8.png"), Path.Combine(images, "a.png"));
        File.Copy(Path.Combine(pngs, "valid", "rgb8.png"), Path.Combine(images, "b.png"));
        File.WriteAllBytes(Path.Combine(images, "broken.png"), [0x89, 0x50, 0x4E, 0x47]);
        var csv = Path.Combine(_directory, "scores.csv");
        var score = Run("score", "--model", model, "--data", images, "--output", csv, "--threads", "1");
        Assert.True(score.ExitCode == 0, score.Error);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("path,log_likelihood,bits_per_dim,score,predicted_label", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains("skipped 1 unreadable image(s):", score.Error);
        Assert.Contains("broken.png", score.Error);

        var shards = Enumerable.Range(0, 2).Select(i =>
        {
            var path = Path.Combine(_directory, $"shard{i}.csv");
            Assert.Equal(0, Run("score", "--model", model, "--data", "fashion-mnist-test", "--limit", "30", "--shard", $"{i}/2", "--output", path, "--threads", "1").ExitCode);
            return File.ReadAllLines(path).Skip(1).ToArray();
        }).ToArray();
        Assert.Equal(15, shards[0].Length);
        Assert.Equal(15, shards[1].Length);
        Assert.All(shards[0], l => Assert.Equal(0, int.Parse(l.Split(',')[0].Split('#')[1], System.Globalization.CultureInfo.InvariantCulture) % 2));

        var grid = Path.Combine(_directory, "samples.png");
        Assert.Equal(0, Run("sample", "--model", model, "--count", "4", "--columns", "2", "--output", grid, "--threads", "1").ExitCode);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], File.ReadAllBytes(grid)[..4]);

        var evaluate = Run("evaluate", "--model", model, "--limit", "50", "--anomalous", "constant", "--threads", "1");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("AUROC, fashion-mnist-test normal vs constant anomalous", evaluate.Output);
        Assert.Contains("complexity-corrected (Serrà)", evaluate.Output);
        Assert.Contains("level 1 bits/dim", evaluate.Output);
    }
}
