using System.Text.RegularExpressions;

namespace MLNetFlows.Cli.Tests;

/// <summary>The demo end to end on a tiny model: its figures, its report, its files, and a clean stderr.</summary>
public sealed class DemoTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TheDemoPrintsItsFiguresAndWritesTheReportTheSamplesAndTheModel()
    {
        var output = _directory.File("demo-output");

        var demo = CliProcess.Run("demo", "--epochs", "1", "--limit", "256", "--steps", "1", "--hidden", "8", "--output-dir", output, "--threads", "1").AssertSuccess();

        Assert.Matches(@"Fashion-MNIST test: \d+\.\d{4} bits/dim over 10000 images \(per original pixel, uniform dequantisation", demo.Output);
        foreach (var score in new[] { "bits/dim (raw)", "complexity-corrected (Serrà)", "complexity alone (PNG bits/dim)", "level 0 bits/dim", "detector Score (ComplexityCorrected)" })
        {
            Assert.Matches(@"\n  " + Regex.Escape(score) + @" +0\.\d{4}|\n  " + Regex.Escape(score) + @" +1\.0000", demo.Output);
        }

        var report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("bits/dim (raw): MNIST looks MORE likely", report, StringComparison.Ordinal);
        Assert.Contains("complexity-corrected score (Serr&#224; et al. 2020)", report, StringComparison.Ordinal);
        Assert.Contains("training bits/dim per step", report, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(report, "<svg ").Count);
        Assert.Contains("<polyline points='", report, StringComparison.Ordinal);
        Assert.Matches(@"<li>epoch 1: train \d+\.\d{4}, validation \d+\.\d{4} bits/dim, \d+ images/s</li>", report);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], File.ReadAllBytes(Path.Combine(output, "samples.png"))[..4]);
        Assert.True(File.Exists(Path.Combine(output, "glow.zip")));
        Assert.DoesNotContain("NNPACK", demo.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", demo.Error, StringComparison.Ordinal);
    }
}
