using System.Buffers.Binary;
using System.Globalization;
using MLNetFlows.Cli.Tests;

namespace MLNetFlows.ConditionalInn.Tests.Colorization;

/// <summary><c>evaluate cinn</c> and <c>demo cinn</c> on a colorization model, run as users run them, and their one-line errors.</summary>
public sealed class ColorizationEvaluateAndDemoCliTests
{
    private static readonly string[] TinyNetwork =
        ["--epochs", "1", "--levels", "2", "--blocks", "1", "--hidden", "8", "--batch-size", "16", "--validation-fraction", "0", "--threads", "1"];

    private const string Figure = @"\d\.\d{5}";

    [Fact]
    public void EvaluatesAColorizationModelAndRefusesTheWrongKindOfData()
    {
        using var directory = new TempDirectory();
        var colour = Path.Combine(directory.Path, "colour.zip");
        CliProcess.Run(["train", "cinn", "--colorization", "wallpapers", "--limit", "48", .. TinyNetwork, "--output", colour]).AssertSuccess();

        var evaluate = CliProcess.Run("evaluate", "cinn", "--model", colour, "--limit", "24", "--samples", "3", "--temperature", "0.8", "--threads", "1").AssertSuccess();
        var lines = evaluate.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^wallpapers \(held-out photographs\): \d+\.\d{4} bits/dim of the chroma given the lightness \(24 patches, uniform dequantisation\)$", lines[0]);
        Assert.Matches($@"^wallpapers \(held-out photographs\): best-of-3 MSE ({Figure}) \(per patch the closest of 3 samples at temperature 0\.8; chroma in \[0, 1\]\)$", lines[1]);
        Assert.Matches($@"^wallpapers \(held-out photographs\): MSE of the mean of the 3 samples ({Figure})$", lines[2]);
        Assert.Matches($@"^wallpapers \(held-out photographs\): gray \(zero chroma\) MSE ({Figure})$", lines[3]);
        Assert.Matches($@"^wallpapers \(held-out photographs\): diversity ({Figure}) \(variance of the chroma across the 3 samples\)$", lines[4]);
        var best = double.Parse(lines[1].Split(' ')[5], CultureInfo.InvariantCulture);
        var diversity = double.Parse(lines[4].Split(' ')[4], CultureInfo.InvariantCulture);
        Assert.True(best > 0 && diversity > 0, $"a trained model's samples differ from the truth and from each other: best {best}, diversity {diversity}");
        Assert.Equal(evaluate.Output, CliProcess.Run("evaluate", "cinn", "--model", colour, "--limit", "24", "--samples", "3", "--temperature", "0.8", "--threads", "1").AssertSuccess().Output);

        Assert.Equal($"mlnetflows: error: --data 'fashion-mnist-test' is a labelled set of gray images, but '{colour}' is a colorization model: give 'wallpapers' (the patches of the held-out wallpaper photographs) or a folder of colour PNG/JPEG photographs",
            CliProcess.Run("evaluate", "cinn", "--model", colour, "--data", "fashion-mnist-test").AssertOneLineFailure());
        var missing = Path.Combine(directory.Path, "missing");
        Assert.Equal($"mlnetflows: error: --data '{missing}' does not exist: give 'wallpapers' (the patches of the held-out wallpaper photographs) or a folder of colour PNG/JPEG photographs",
            CliProcess.Run("evaluate", "cinn", "--model", colour, "--data", missing).AssertOneLineFailure());
        Assert.Equal($"mlnetflows: error: --data '{directory.Path}' cannot be read: the image folder '{directory.Path}' holds no .png, .jpg or .jpeg file",
            CliProcess.Run("evaluate", "cinn", "--model", colour, "--data", directory.Path).AssertOneLineFailure());
        Assert.Equal("mlnetflows: error: --samples must be between 1 and 256, got 0",
            CliProcess.Run("evaluate", "cinn", "--model", colour, "--samples", "0").AssertOneLineFailure());

        var classes = Path.Combine(directory.Path, "classes.zip");
        CliProcess.Run(["train", "cinn", "--data", "fashion-mnist", "--limit", "32", .. TinyNetwork, "--output", classes]).AssertSuccess();
        Assert.Equal($"mlnetflows: error: --data 'wallpapers' is colour photographs for a colorization model, but '{classes}' is a class-conditional INN: give one of fashion-mnist, fashion-mnist-test, mnist or a folder with one subfolder per class",
            CliProcess.Run("evaluate", "cinn", "--model", classes, "--data", "wallpapers").AssertOneLineFailure());

        // The demo with a given colorization model (implies --colorization): the class grid, then the colorization figures, grid and section.
        var output = Path.Combine(directory.Path, "demo");
        var demo = CliProcess.Run("demo", "cinn", "--model", classes, "--seeds", "1", "--output-dir", output, "--threads", "1",
            "--colorization-model", colour, "--colorization-patches", "16", "--colorization-samples", "2").AssertSuccess();
        var grid = Path.Combine(output, "cinn-colorization.png");
        Assert.Matches(@$"wrote {System.Text.RegularExpressions.Regex.Escape(grid)} \(8 held-out patches × 4 columns: gray input, 2 samples at temperature 1, ground truth\) in \d+ s", demo.Output);
        var png = File.ReadAllBytes(grid);
        Assert.Equal((4 * (32 + 2)) + 2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal((8 * (32 + 2)) + 2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        var html = File.ReadAllText(Path.Combine(output, "cinn-report.html"));
        Assert.Contains("<img src='cinn-samples.png'", html);
        Assert.Contains("<h2>Colorization (chroma given the lightness)</h2>", html);
        Assert.Contains($"model {colour}", html);
        Assert.Contains("<img src='cinn-colorization.png'", html);
        Assert.Matches($"<tr><td>best-of-2 MSE \\(per patch the closest of 2 samples, T = 1\\)</td><td>{Figure}</td></tr>", html);

        // Without --colorization the demo is the class grid alone.
        var skipped = Path.Combine(directory.Path, "skipped");
        var classOnly = CliProcess.Run("demo", "cinn", "--model", classes, "--seeds", "1", "--output-dir", skipped, "--threads", "1").AssertSuccess();
        Assert.DoesNotContain("colorization", classOnly.Output);
        Assert.False(File.Exists(Path.Combine(skipped, "cinn-colorization.png")));
        Assert.DoesNotContain("Colorization", File.ReadAllText(Path.Combine(skipped, "cinn-report.html")));
        Assert.Equal($"mlnetflows: error: '{classes}' holds a ConditionalInnTransformer, not a colorization conditional INN written by 'mlnetflows train cinn --colorization wallpapers' (a conditional INN: use the command's 'cinn' subcommand, e.g. 'mlnetflows sample cinn')",
            CliProcess.Run("demo", "cinn", "--model", classes, "--seeds", "1", "--output-dir", skipped, "--colorization-model", classes).AssertOneLineFailure());
    }

    [Fact]
    public void TheDemoTrainsItsOwnColorizationModelWithinItsBudget()
    {
        using var directory = new TempDirectory();
        var classes = Path.Combine(directory.Path, "classes.zip");
        CliProcess.Run(["train", "cinn", "--data", "fashion-mnist", "--limit", "32", .. TinyNetwork, "--output", classes]).AssertSuccess();
        var output = Path.Combine(directory.Path, "demo");
        var demo = CliProcess.Run("demo", "cinn", "--model", classes, "--seeds", "1", "--output-dir", output, "--threads", "1",
            "--colorization", "--colorization-minutes", "0.02", "--colorization-patches", "8", "--colorization-samples", "1").AssertSuccess();
        Assert.Matches(@"colorization: a colorization model trained by the demo: 2 levels × 4 blocks, 64 hidden channels, batch 64, [1-9]\d* steps in \d+\.\d min on 3328 training patches", demo.Output);
        Assert.Matches($@"wallpapers \(held-out photographs\): best-of-1 MSE {Figure}", demo.Output);
        Assert.True(File.Exists(Path.Combine(output, "cinn-colorization.png")));
        Assert.Contains("a colorization model trained by the demo", File.ReadAllText(Path.Combine(output, "cinn-report.html")));
    }
}
