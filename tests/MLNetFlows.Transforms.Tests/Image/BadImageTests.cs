using MLNetFlows.Data;
using MLNetFlows.Torch.Imaging;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Transforms.Tests.Image;

/// <summary>Item 5 of the issue: every bad file is reported with its path and reason, counted and logged; no crash, hang or zeros.</summary>
public sealed class BadImageTests
{
    private static (IDataView Paths, string[] Files) MalformedPaths(MLContext ml)
    {
        string[] files = [.. Corpus.MalformedFiles().Select(f => Path.Combine(Corpus.Malformed, f.Name))];
        return (ml.Data.LoadFromEnumerable(files.Select(f => new Images.PathRow { Path = f })), files);
    }

    [Fact]
    public void EveryMalformedFile_IsMissing_CountedNamedAndLoggedOnce()
    {
        var ml = new MLContext(seed: 1);
        var log = new List<LoggingEventArgs>();
        ml.Log += (_, e) => { lock (log) { log.Add(e); } };
        (IDataView paths, string[] files) = MalformedPaths(ml);
        Assert.Equal(47, files.Length);

        ImageLoadingTransformer loader = ml.Transforms.LoadImages("Image", null, "Path").Fit(paths);
        MLImage?[] images = Images.Column<MLImage?>(loader.Transform(paths), "Image");
        _ = Images.Column<MLImage?>(loader.Transform(paths), "Image");

        Assert.All(images, Assert.Null);
        Assert.Equal(2 * files.Length, loader.Diagnostics.FailureCount);
        Assert.Equal(0, loader.Diagnostics.LoadedCount);
        Dictionary<string, ImageLoadFailure> byPath = loader.Diagnostics.Failures.ToDictionary(f => f.Path);
        foreach ((string name, string reason) in Corpus.MalformedFiles())
        {
            ImageLoadFailure failure = byPath[Path.Combine(Corpus.Malformed, name)];
            Assert.Contains(reason, failure.Reason, StringComparison.Ordinal);
        }

        Assert.Equal(files.Length, log.Count);
        Assert.All(log, e => Assert.Equal(ChannelMessageKind.Warning, e.Kind));
        Assert.All(files, f => Assert.Single(log, e => e.Message.Contains($"'{f}'", StringComparison.Ordinal)));
    }

    [Fact]
    public void ThrowPolicy_FailsOnTheFirstBadImage_NamingPathAndReason()
    {
        var ml = new MLContext(seed: 1);
        string bad = Path.Combine(Corpus.Malformed, "trunc_idat_mid.png");
        IDataView paths = ml.Data.LoadFromEnumerable(new[] { Path.Combine(Corpus.Valid, "rgb8.png"), bad, Path.Combine(Corpus.Malformed, "empty.png") }.Select(p => new Images.PathRow { Path = p }));
        var estimator = ml.Transforms.LoadImages(new ImageLoadingEstimator.Options
        {
            OutputColumnName = "Image",
            InputColumnName = "Path",
            OnBadImage = ImageLoadingEstimator.BadImageHandling.Throw,
            MaxDegreeOfParallelism = 2,
        });
        ImageLoadingTransformer loader = estimator.Fit(paths);

        var ex = Assert.Throws<ImageDecodeException>(() => Images.Column<MLImage>(loader.Transform(paths), "Image"));

        Assert.Equal(bad, ex.Path);
        Assert.Contains("truncated PNG data", ex.Reason, StringComparison.Ordinal);
        Assert.Contains(bad, ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, loader.Diagnostics.FailureCount);
    }

    [Fact]
    public void MaxPixels_RefusesLargeImages_AsDecompressionBombs()
    {
        var ml = new MLContext(seed: 1);
        IDataView paths = ml.Data.LoadFromEnumerable(new[] { new Images.PathRow { Path = "rgb8.png" }, new Images.PathRow { Path = "gray8.png" } });
        ImageLoadingTransformer loader = ml.Transforms.LoadImages(new ImageLoadingEstimator.Options { OutputColumnName = "Image", InputColumnName = "Path", ImageFolder = Corpus.Valid, MaxPixels = 34 }).Fit(paths);

        Assert.All(Images.Column<MLImage?>(loader.Transform(paths), "Image"), Assert.Null);
        Assert.All(loader.Diagnostics.Failures, f => Assert.Contains("7x5 = 35 pixels, over the limit of 34 pixels", f.Reason, StringComparison.Ordinal));
        Assert.Equal(2, loader.Diagnostics.FailureCount);
    }

    [Fact]
    public void FileThatVanishesBetweenPasses_IsReportedMissing()
    {
        using var temp = new TempDirectory();
        string file = temp.File("a.png");
        File.Copy(Path.Combine(Corpus.Valid, "gray8.png"), file);
        var ml = new MLContext(seed: 1);
        IDataView paths = ml.Data.LoadFromEnumerable(new[] { new Images.PathRow { Path = "a.png" } });
        ImageLoadingTransformer loader = ml.Transforms.LoadImages("Image", temp.Path, "Path").Fit(paths);
        IDataView images = loader.Transform(paths);

        Assert.NotNull(Images.Column<MLImage?>(images, "Image")[0]);
        File.Delete(file);
        Assert.Null(Images.Column<MLImage?>(images, "Image")[0]);
        Assert.Equal("the file does not exist", Assert.Single(loader.Diagnostics.Failures).Reason);
    }

    [Fact]
    public void FileThatVanishesMidPass_IsReportedMissing_OthersStillLoad()
    {
        using var temp = new TempDirectory();
        for (int i = 0; i < 4; i++)
        {
            File.Copy(Path.Combine(Corpus.Valid, "rgb.jpg"), temp.File($"{i}.jpg"));
        }

        var ml = new MLContext(seed: 1);
        IDataView paths = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(i => new Images.PathRow { Path = $"{i}.jpg" }));
        var options = new ImageLoadingEstimator.Options { OutputColumnName = "Image", InputColumnName = "Path", ImageFolder = temp.Path, BatchSize = 2 };
        ImageLoadingTransformer loader = ml.Transforms.LoadImages(options).Fit(paths);
        IDataView images = loader.Transform(paths);
        DataViewSchema.Column column = images.Schema["Image"];
        using DataViewRowCursor cursor = images.GetRowCursor([column]);
        ValueGetter<MLImage> get = cursor.GetGetter<MLImage>(column);
        var loaded = new List<bool>();
        while (cursor.MoveNext())
        {
            if (cursor.Position == 1)
            {
                File.Delete(temp.File("3.jpg")); // the second batch (rows 2–3) is read after this
            }

            MLImage image = null!;
            get(ref image);
            loaded.Add(image is not null);
        }

        Assert.Equal([true, true, true, false], loaded);
        Assert.EndsWith("3.jpg", Assert.Single(loader.Diagnostics.Failures).Path, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyPath_IsACountedFailure()
    {
        var ml = new MLContext(seed: 1);
        IDataView paths = ml.Data.LoadFromEnumerable(new[] { new Images.PathRow { Path = string.Empty } });
        ImageLoadingTransformer loader = ml.Transforms.LoadImages("Image", Corpus.Valid, "Path").Fit(paths);

        Assert.Null(Images.Column<MLImage?>(loader.Transform(paths), "Image")[0]);
        Assert.Equal("the path is empty", Assert.Single(loader.Diagnostics.Failures).Reason);
    }
}
