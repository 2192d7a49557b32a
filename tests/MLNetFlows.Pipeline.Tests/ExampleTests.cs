using System.Diagnostics;

namespace MLNetFlows.Pipeline.Tests;

/// <summary>Runs examples/GlowAnomalyDetection as a user would: train and score, then score again from the saved model in a new process.</summary>
public sealed class ExampleTests
{
    [Fact]
    public void Glow_anomaly_detection_example_scores_a_folder_skips_a_corrupt_file_and_reloads_identically_in_a_new_process()
    {
        using var folder = new TemporaryFolder();
        ImageFolders.Write(folder["normal"], 192, inverted: false);
        var normalToScore = ImageFolders.Write(folder["score"], 12, inverted: false, skip: 192);
        var anomalies = ImageFolders.Write(folder["score"], 4, inverted: true, skip: 300);
        File.WriteAllText(Path.Combine(folder["score"], "corrupt.png"), "not an image");

        var trained = Run("train", folder["normal"], folder["score"], folder["model.zip"], "2");
        var reloaded = Run("score", folder["model.zip"], folder["score"]);

        var ranking = trained.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Ranking quality needs longer training than a test affords (GlowAnomalyTests checks it); this checks the program.
        Assert.Equal(normalToScore.Length + anomalies.Length, ranking.Length);
        Assert.All(anomalies, path => Assert.Single(ranking, line => line.EndsWith(path, StringComparison.Ordinal)));
        Assert.Contains("corrupt.png", trained.Error, StringComparison.Ordinal);
        Assert.Equal(trained.Output, reloaded.Output);
    }

    private static (string Output, string Error) Run(params string[] arguments)
    {
        var example = Path.Combine(RepositoryRoot(), "examples", "GlowAnomalyDetection", "bin", Configuration, "net10.0", "GlowAnomalyDetection.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(example);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "the example did not finish within 5 minutes");
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {error.Result}");
        return (output.Result, error.Result);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MLNetFlows.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("MLNetFlows.sln not found above the test's folder");
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
}
