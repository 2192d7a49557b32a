using MLNetFlows.Cli.Tests;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.ConditionalInn.Tests.Colorization;

/// <summary>The colorization commands run as users run them: train on a photo folder, colorize, sample given an image, and their one-line errors.</summary>
public sealed class ColorizationCliTests
{
    private static readonly string[] TinyTraining =
        ["--epochs", "1", "--levels", "2", "--blocks", "1", "--hidden", "8", "--batch-size", "16", "--validation-fraction", "0", "--threads", "1"];

    /// <summary>Six 128 × 96 colour images (smooth colour gradients, a different hue each) named photo0.png … photo5.png.</summary>
    private static void WritePhotographs(string folder)
    {
        for (var n = 0; n < 6; n++)
        {
            var pixels = new byte[128 * 96 * 3];
            for (var y = 0; y < 96; y++)
            {
                for (var x = 0; x < 128; x++)
                {
                    var p = ((y * 128) + x) * 3;
                    pixels[p] = (byte)((x * 2 + (n * 40)) % 256);
                    pixels[p + 1] = (byte)((y * 2) + n);
                    pixels[p + 2] = (byte)(255 - ((x + y + (n * 30)) % 256));
                }
            }

            File.WriteAllBytes(Path.Combine(folder, $"photo{n}.png"), PngEncoding.Encode(pixels, 128, 96, 3));
        }
    }

    [Fact]
    public void TrainColorizeAndSampleGivenAnImageWork()
    {
        using var directory = new TempDirectory();
        var photos = Directory.CreateDirectory(Path.Combine(directory.Path, "photos")).FullName;
        WritePhotographs(photos);
        var model = Path.Combine(directory.Path, "colorize.zip");
        var train = CliProcess.Run(["train", "cinn", "--colorization", photos, .. TinyTraining, "--output", model]).AssertSuccess();
        Assert.Contains($"saved {model}", train.Output);
        Assert.Matches(@"held-out photographs: \d+\.\d{4} bits/dim of the chroma given the lightness \(12 patches\)", train.Output);

        var output = Path.Combine(directory.Path, "out");
        var colorize = CliProcess.Run("colorize", "--model", model, "--input", Path.Combine(photos, "photo2.png"), "--output", output, "--samples", "2", "--threads", "1").AssertSuccess();
        Assert.Contains("photo2.png: 128×96 gray → 2 colour sample(s) at temperature 1 in", colorize.Output);
        Assert.Equal(["photo2-gray.png", "photo2-sample1.png", "photo2-sample2.png"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(output, "photo2-sample1.png")), File.ReadAllBytes(Path.Combine(output, "photo2-sample2.png")));

        var grid = Path.Combine(directory.Path, "grid.png");
        var sample = CliProcess.Run("sample", "cinn", "--model", model, "--condition", Path.Combine(photos, "photo0.png"), "--count", "3", "--output", grid, "--threads", "1").AssertSuccess();
        Assert.Contains($"wrote {grid} (the gray condition 128×96, then 3 colour samples at temperature 0.8)", sample.Output);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(grid)[..4]);

        Assert.Equal($"mlnetflows: error: '{model}' holds a ImageConditionalInnTransformer, not a conditional INN written by 'mlnetflows train cinn' (a colorization conditional INN: use 'mlnetflows colorize' or 'mlnetflows sample cinn --condition image.png')",
            CliProcess.Run("sample", "cinn", "--model", model, "--class", "1", "--output", grid).AssertOneLineFailure());
        var tiny = Path.Combine(directory.Path, "tiny.png");
        File.WriteAllBytes(tiny, PngEncoding.Encode(new byte[16 * 16], 16, 16, 1));
        Assert.Equal($"mlnetflows: error: --input '{tiny}' is 16×16 pixels (after downscaling), smaller than the model's 32×32 patches",
            CliProcess.Run("colorize", "--model", model, "--input", tiny, "--output", output).AssertOneLineFailure());
    }

    [Fact]
    public void BadColorizationArgumentsFailWithOneExactLine()
    {
        using var directory = new TempDirectory();
        var missing = Path.Combine(directory.Path, "missing");
        Assert.Equal($"mlnetflows: error: --input '{missing}' does not exist: expected a PNG or JPEG image, or a folder of them",
            CliProcess.Run("colorize", "--input", missing, "--output", directory.Path).AssertOneLineFailure());
        Assert.Equal("mlnetflows: error: --input is required: a PNG or JPEG image, or a folder of them",
            CliProcess.Run("colorize", "--output", directory.Path).AssertOneLineFailure());
        Assert.Equal($"mlnetflows: error: --colorization '{missing}' cannot be read: the image folder '{missing}' does not exist",
            CliProcess.Run("train", "cinn", "--colorization", missing, "--output", Path.Combine(directory.Path, "m.zip")).AssertOneLineFailure());
        Assert.Equal("mlnetflows: error: --samples must be at least 1, got 0",
            CliProcess.Run("colorize", "--input", directory.Path, "--samples", "0").AssertOneLineFailure());
    }
}
