using System.Buffers.Binary;
using Microsoft.ML;
using MLNetFlows.Estimators.InfoGan;
using MLNetFlows.Trainers.InfoGan;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>Training users can check: a sample grid per epoch, and a fixed default seed (not MLContext's).</summary>
public sealed class InfoGanSampleGridTests
{
    [Fact]
    public void EveryEpochWritesASampleGridWithOneRowPerCategoryAndTheSameSeedWritesTheSameGrids()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var ml = new MLContext(1);
        var data = ShapeRows.View(ml, 48);
        var options = InfoGanEstimatorTests.Tiny(epochs: 2);
        options.SampleGridDirectory = first.Path;
        var seen = new List<int>();
        options.EpochModelCallback = (report, _) => seen.Add(report.Epoch);

        using (ml.Transforms.InfoGan(options).Fit(data))
        {
        }

        options.SampleGridDirectory = second.Path;
        options.EpochModelCallback = null;
        using (ml.Transforms.InfoGan(options).Fit(data))
        {
        }

        var files = Directory.GetFiles(first.Path).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["infogan-samples-epoch-001.png", "infogan-samples-epoch-002.png"], files);
        Assert.Equal([1, 2], seen); // the caller's callback still runs
        var epoch1 = File.ReadAllBytes(Path.Combine(first.Path, files[0]));
        var epoch2 = File.ReadAllBytes(Path.Combine(first.Path, files[1]));
        // 10 columns of noise, 3 rows (the 3 classes), 8×8 images, gaps between and around them.
        var gap = ImageGrid.DefaultGap;
        Assert.Equal((10 * 8) + (11 * gap), BinaryPrimitives.ReadInt32BigEndian(epoch1.AsSpan(16, 4)));
        Assert.Equal((3 * 8) + (4 * gap), BinaryPrimitives.ReadInt32BigEndian(epoch1.AsSpan(20, 4)));
        Assert.NotEqual(epoch1, epoch2);
        Assert.Equal(epoch2, File.ReadAllBytes(Path.Combine(second.Path, files[1])));
    }

    [Fact]
    public void WithoutASeedTheEstimatorTrainsWithTheFixedDefaultWhateverMLContextsSeed()
    {
        using var leaks = new LeakCheck();
        var options = InfoGanEstimatorTests.Tiny(epochs: 1);
        options.Seed = new InfoGanEstimator.Options().Seed;
        var one = new MLContext(seed: 1);
        var other = new MLContext(seed: 2);
        var unseeded = new MLContext();

        using var a = one.Transforms.InfoGan(options).Fit(ShapeRows.View(one, 48));
        using var b = other.Transforms.InfoGan(options).Fit(ShapeRows.View(other, 48));
        using var c = unseeded.Transforms.InfoGan(options).Fit(ShapeRows.View(unseeded, 48));

        Assert.Equal(InfoGanTrainerOptions.Defaults.Seed, new InfoGanTrainerOptions().Seed);
        Assert.Equal(0, InfoGanTrainerOptions.Defaults.Seed);
        Assert.Equal(a.Generate(1, [0f, 0f], count: 2, seed: 9).Pixels, b.Generate(1, [0f, 0f], count: 2, seed: 9).Pixels);
        Assert.Equal(a.Generate(1, [0f, 0f], count: 2, seed: 9).Pixels, c.Generate(1, [0f, 0f], count: 2, seed: 9).Pixels);
    }

    [Fact]
    public void ABlankSampleGridFolderIsRefused()
    {
        var options = InfoGanEstimatorTests.Tiny();
        options.SampleGridDirectory = " ";

        var e = Assert.Throws<ArgumentException>(() => new MLContext(1).Transforms.InfoGan(options));

        Assert.Equal("SampleGridDirectory must name a folder, or be null for no sample grids (Parameter 'SampleGridDirectory')", e.Message);
    }
}
