using System.Buffers.Binary;
using System.Globalization;

namespace MLNetFlows.Cli.Tests;

/// <summary>train, score (folders, CSVs, shards, bad images), sample and evaluate, run as users run them.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class CommandTests(TrainedModel model) : IDisposable
{
    private const string CsvHeader = "path,log_likelihood,bits_per_dim,score,predicted_label";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TrainReportsEveryEpochAndSavesTheModel()
    {
        var train = model.Train.AssertSuccess();

        Assert.Contains("training Glow (L=2, K=1, hidden 8) on 256 images of fashion-mnist for 1 epochs", train.Output, StringComparison.Ordinal);
        Assert.Matches(@"epoch 1: train \d+\.\d{4} bits/dim, validation \d+\.\d{4} bits/dim \(per original pixel\), \d+ images/s", train.Output);
        Assert.Contains($"saved {model.Path} (threshold ", train.Output, StringComparison.Ordinal);
        Assert.True(new FileInfo(model.Path).Length > 1000);
        Assert.DoesNotContain("NNPACK", train.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderWithCorruptImagesIsScoredAndTheBadOnesAreReportedByPathAndReason()
    {
        var images = ImageFolder();
        var csv = _directory.File("scores.csv");

        var score = CliProcess.Run("score", "--model", model.Path, "--data", images, "--output", csv, "--threads", "1").AssertSuccess();

        var lines = File.ReadAllLines(csv);
        Assert.Equal(CsvHeader, lines[0]);
        Assert.Equal(["a.png", "b.png", "c.jpg"], lines[1..].Select(l => Path.GetFileName(l.Split(',')[0])));
        Assert.All(lines[1..], l => Assert.InRange(double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture), 0.1, 30));
        Assert.Contains($"wrote {csv} (3 images, shard 0/1)", score.Output, StringComparison.Ordinal);
        Assert.Contains($"skipped 2 unreadable image(s) of {images}:", score.Error, StringComparison.Ordinal);
        Assert.Contains($"  {Path.Combine(images, "broken.png")}: ", score.Error, StringComparison.Ordinal);
        Assert.Contains($"  {Path.Combine(images, "d.png")}: truncated PNG data", score.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory.Path, "*.tmp"));
    }

    [Fact]
    public void WithOnBadImageFailTheFirstBadImageEndsTheJobInOneLine()
    {
        var csv = _directory.File("scores.csv");

        var line = CliProcess.Run("score", "--model", model.Path, "--data", ImageFolder(), "--on-bad-image", "fail", "--output", csv, "--threads", "1").AssertOneLineFailure();

        Assert.StartsWith($"mlnetflows: error: cannot load image '{Path.Combine(_directory.Path, "images", "broken.png")}': ", line, StringComparison.Ordinal);
        Assert.False(File.Exists(csv), "a failed job leaves no CSV behind");
        Assert.Empty(Directory.GetFiles(_directory.Path, "*.tmp"));
    }

    [Fact]
    public void ACsvOfRelativePathsIsScored()
    {
        var images = ImageFolder();
        var list = _directory.File("list.csv");
        File.WriteAllLines(list, ["path,label", "images/a.png,0", "\"images/c.jpg\",1", "images/missing.png,0"]);
        var csv = _directory.File("scores.csv");

        var score = CliProcess.Run("score", "--model", model.Path, "--data", list, "--output", csv, "--threads", "1").AssertSuccess();

        Assert.Equal([Path.Combine(images, "a.png"), Path.Combine(images, "c.jpg")], File.ReadAllLines(csv)[1..].Select(l => l.Split(',')[0]));
        Assert.Contains($"  {Path.Combine(images, "missing.png")}: the file does not exist", score.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ShardsSplitTheInputWithoutOverlap()
    {
        var shards = Enumerable.Range(0, 2).Select(i =>
        {
            var path = _directory.File($"shard{i}.csv");
            var run = CliProcess.Run("score", "--model", model.Path, "--data", "fashion-mnist-test", "--limit", "30", "--shard", $"{i}/2", "--output", path, "--threads", "1").AssertSuccess();
            Assert.Contains($"(15 images, shard {i}/2)", run.Output, StringComparison.Ordinal);
            return File.ReadAllLines(path)[1..].Select(l => int.Parse(l.Split(',')[0].Split('#')[1], CultureInfo.InvariantCulture)).ToArray();
        }).ToArray();

        Assert.Equal(Enumerable.Range(0, 15).Select(i => 2 * i), shards[0]);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => (2 * i) + 1), shards[1]);
    }

    [Fact]
    public void SampleWritesAPngGrid()
    {
        var grid = _directory.File("samples.png");

        var run = CliProcess.Run("sample", "--model", model.Path, "--count", "4", "--columns", "2", "--output", grid, "--threads", "1").AssertSuccess();

        var png = File.ReadAllBytes(grid);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        Assert.Equal((2 * (28 + 2)) + 2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal((2 * (28 + 2)) + 2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Contains($"wrote {grid} (4 samples at temperature 0.7)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateTakesBuiltInSetsAndFoldersAsOutOfDistributionSets()
    {
        var images = ImageFolder();

        var evaluate = CliProcess.Run("evaluate", "--model", model.Path, "--limit", "50", "--anomalous", "constant", images, "--threads", "1").AssertSuccess();

        Assert.Matches(@"fashion-mnist-test: \d+\.\d{4} bits/dim over 50 images", evaluate.Output);
        Assert.Contains("AUROC, fashion-mnist-test normal vs constant anomalous (50 images", evaluate.Output, StringComparison.Ordinal);
        Assert.Contains($"AUROC, fashion-mnist-test normal vs {images} anomalous (3 images", evaluate.Output, StringComparison.Ordinal);
        Assert.Contains("complexity-corrected (Serrà)", evaluate.Output, StringComparison.Ordinal);
        Assert.Contains("level 1 bits/dim", evaluate.Output, StringComparison.Ordinal);
        Assert.Contains($"skipped 2 unreadable image(s) of {images}:", evaluate.Error, StringComparison.Ordinal);
    }

    /// <summary>A folder of three good images (gray PNG, RGB PNG, JPEG), a truncated PNG and a file of garbage.</summary>
    private string ImageFolder()
    {
        var images = Directory.CreateDirectory(_directory.File("images")).FullName;
        var corpus = Path.Combine(AppContext.BaseDirectory, "Images");
        File.Copy(Path.Combine(corpus, "gray8.png"), Path.Combine(images, "a.png"));
        File.Copy(Path.Combine(corpus, "rgb8.png"), Path.Combine(images, "b.png"));
        File.Copy(Path.Combine(corpus, "rgb.jpg"), Path.Combine(images, "c.jpg"));
        File.Copy(Path.Combine(corpus, "trunc_idat_mid.png"), Path.Combine(images, "d.png"));
        File.WriteAllBytes(Path.Combine(images, "broken.png"), [0x89, 0x50, 0x4E, 0x47]);
        return images;
    }
}
