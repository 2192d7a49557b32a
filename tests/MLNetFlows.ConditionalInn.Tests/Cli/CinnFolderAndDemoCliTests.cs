using System.Buffers.Binary;
using MLNetFlows.Cli.Tests;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.ConditionalInn.Tests.Cli;

/// <summary><c>train cinn</c> from a folder per class and <c>demo cinn</c>'s sample grid, run as users run them.</summary>
public sealed class CinnFolderAndDemoCliTests
{
    private static readonly string[] TinyTraining =
        ["--epochs", "1", "--levels", "2", "--blocks", "1", "--hidden", "8", "--batch-size", "8", "--validation-fraction", "0", "--threads", "1"];

    [Fact]
    public void TrainsFromAFolderPerClassSkippingBadImagesAndDrawsTheDemoGrid()
    {
        using var directory = new TempDirectory();
        var data = Path.Combine(directory.Path, "data");
        WriteClass(data, "boots", label: 9, count: 8);
        WriteClass(data, "shirts", label: 0, count: 8);
        File.WriteAllText(Path.Combine(data, "shirts", "broken.png"), "not a png");
        var model = Path.Combine(directory.Path, "cinn.zip");

        var train = CliProcess.Run(["train", "cinn", "--data", data, .. TinyTraining, "--latent-prior", "ClassGaussian", "--output", model]).AssertSuccess();
        Assert.Contains($"saved {model}", train.Output);
        Assert.Contains(train.ErrorLines, l => l.StartsWith($"skipped unreadable image '{Path.Combine(data, "shirts", "broken.png")}'", StringComparison.Ordinal));

        var output = Path.Combine(directory.Path, "demo");
        var demo = CliProcess.Run("demo", "cinn", "--model", model, "--temperatures", "0,1", "--seeds", "2", "--output-dir", output, "--threads", "1").AssertSuccess();
        var png = Path.Combine(output, "cinn-samples.png");
        Assert.Contains($"wrote {png} (2 classes × 4 columns: temperatures 0, 1, 2 seed(s) each) and {Path.Combine(output, "cinn-report.html")}", demo.Output);
        var bytes = File.ReadAllBytes(png);
        // IHDR: width and height after the 8-byte signature, the chunk length and type. 2 gap pixels around every image.
        Assert.Equal((4 * (28 + 2)) + 2, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal((2 * (28 + 2)) + 2, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
        Assert.Contains("<img src='cinn-samples.png'", File.ReadAllText(Path.Combine(output, "cinn-report.html")));

        Assert.Equal("mlnetflows: error: --temperatures '0.5,hot': 'hot' is not a finite number ≥ 0; give comma-separated temperatures such as 0.5,0.7,1.0",
            CliProcess.Run("demo", "cinn", "--model", model, "--temperatures", "0.5,hot", "--output-dir", output).AssertOneLineFailure());
    }

    [Fact]
    public void FoldersWithoutTwoClassesOrWithAnEmptyClassFailWithOneExactLine()
    {
        using var directory = new TempDirectory();
        var output = Path.Combine(directory.Path, "m.zip");
        var empty = Path.Combine(directory.Path, "empty");
        Directory.CreateDirectory(empty);
        Assert.Equal($"mlnetflows: error: --data '{empty}' has no subfolders: a labelled image folder needs one subfolder per class, at least 2, each holding that class's .png/.jpg/.jpeg images",
            CliProcess.Run(["train", "cinn", "--data", empty, .. TinyTraining, "--output", output]).AssertOneLineFailure());

        var single = Path.Combine(directory.Path, "single");
        WriteClass(single, "boots", label: 9, count: 2);
        Assert.Equal($"mlnetflows: error: --data '{single}' has only one subfolder ('boots'): a labelled image folder needs one subfolder per class, at least 2, each holding that class's .png/.jpg/.jpeg images",
            CliProcess.Run(["train", "cinn", "--data", single, .. TinyTraining, "--output", output]).AssertOneLineFailure());

        Directory.CreateDirectory(Path.Combine(single, "coats"));
        Assert.Equal($"mlnetflows: error: --data '{single}': class folder(s) 'coats' hold no .png/.jpg/.jpeg images; add images or remove the folder(s)",
            CliProcess.Run(["train", "cinn", "--data", single, .. TinyTraining, "--output", output]).AssertOneLineFailure());

        var missing = Path.Combine(directory.Path, "missing");
        Assert.Equal($"mlnetflows: error: --data '{missing}' does not exist: expected a folder with one subfolder per class, or one of fashion-mnist, fashion-mnist-test, mnist",
            CliProcess.Run(["train", "cinn", "--data", missing, .. TinyTraining, "--output", output]).AssertOneLineFailure());
    }

    /// <summary>Writes <paramref name="count"/> Fashion-MNIST test images of class <paramref name="label"/> as PNGs into root/name.</summary>
    private static void WriteClass(string root, string name, int label, int count)
    {
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        var (pixels, labels) = FashionMnistSubset.Load(500, train: false);
        var written = 0;
        for (var i = 0; i < labels.Length && written < count; i++)
        {
            if (labels[i] == label)
            {
                File.WriteAllBytes(Path.Combine(folder, $"{written++:D3}.png"), PngEncoding.Encode(pixels.AsSpan(i * 784, 784), 28, 28, 1));
            }
        }
    }
}
