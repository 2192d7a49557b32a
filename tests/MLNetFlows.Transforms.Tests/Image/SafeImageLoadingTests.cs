using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Transforms.Tests.Image;

/// <summary>LoadImagesSafely in pipelines: bad files counted, reported, skipped or failing the pass; good files as ImageAnalytics loads them.</summary>
public sealed class SafeImageLoadingTests
{
    private static string Valid(string name) => Path.Combine(Corpus.Valid, name);

    private static string Malformed(string name) => Path.Combine(Corpus.Malformed, name);

    [Fact]
    public void EveryMalformedFile_IsSkipped_CountedAndReportedOnceWithItsReason()
    {
        var ml = new MLContext(1);
        string[] files = [.. Corpus.MalformedFiles().Select(f => Malformed(f.Name))];
        IDataView paths = ImageRows.Paths(ml, [Valid("rgb8.png"), .. files, Valid("gray.jpg")]);
        SafeImageLoadingEstimator estimator = ml.Transforms.LoadImagesSafely("Image", imageFolder: null, "Path");
        var reported = new List<ImageLoadFailure>();
        estimator.Diagnostics.ImageLoadFailed += (_, failure) => reported.Add(failure);

        IDataView images = estimator.Fit(paths).Transform(paths);
        List<(MLImage Image, int Index)> first = ImageRows.Read(images), second = ImageRows.Read(images);

        Assert.Equal([0, files.Length + 1], first.Select(r => r.Index));
        Assert.Equal([0, files.Length + 1], second.Select(r => r.Index));
        Assert.Equal(2 * files.Length, estimator.Diagnostics.FailureCount);
        Assert.Equal(4, estimator.Diagnostics.LoadedCount);
        Assert.Equal(files.Order(StringComparer.Ordinal), reported.Select(f => f.Path).Order(StringComparer.Ordinal));
        Dictionary<string, ImageLoadFailure> byPath = estimator.Diagnostics.Failures.ToDictionary(f => f.Path);
        foreach ((string name, string reason) in Corpus.MalformedFiles())
        {
            Assert.Contains(reason, byPath[Malformed(name)].Reason, StringComparison.Ordinal);
        }

        ImageRows.Dispose([.. first, .. second]);
    }

    [Fact]
    public void ThousandRows_WithCorruptFilesInTheMiddle_AreAllProcessed_BadOnesSkipped()
    {
        var ml = new MLContext(1);
        string[] good = [Valid("rgb8.png"), Valid("gray8.png"), Valid("yuv420.jpg"), Valid("palette8_trns.png")];
        var bad = new Dictionary<int, string> { [100] = Malformed("trunc_idat_mid.png"), [500] = Malformed("jpeg_marker_in_scan.jpg"), [501] = Malformed("bomb_area.png"), [777] = Path.Combine(Corpus.Valid, "no-such-file.png") };
        string[] paths = [.. Enumerable.Range(0, 1000).Select(i => bad.GetValueOrDefault(i) ?? good[i % good.Length])];
        IDataView input = ImageRows.Paths(ml, paths);
        var options = new SafeImageLoadingEstimator.Options { OutputColumnName = "Image", InputColumnName = "Path", BatchSize = 64, MaxDegreeOfParallelism = 2 };
        SafeImageLoadingEstimator estimator = ml.Transforms.LoadImagesSafely(options);

        List<(MLImage Image, int Index)> rows = ImageRows.Read(estimator.Fit(input).Transform(input));

        Assert.Equal(Enumerable.Range(0, 1000).Where(i => !bad.ContainsKey(i)), rows.Select(r => r.Index));
        Assert.All(rows, r => Assert.Equal(paths[r.Index], r.Image.Tag));
        Assert.All(rows, r => Assert.Equal(r.Index % 4 == 2 ? (61, 45) : (7, 5), (r.Image.Width, r.Image.Height)));
        Assert.Equal((4, 996), (estimator.Diagnostics.FailureCount, estimator.Diagnostics.LoadedCount));
        Assert.Equal(bad.Values.Order(StringComparer.Ordinal), estimator.Diagnostics.Failures.Select(f => f.Path));
        Assert.Equal("the file does not exist", estimator.Diagnostics.Failures.Single(f => f.Path == bad[777]).Reason);
        ImageRows.Dispose(rows);
    }

    [Fact]
    public void FailOption_FailsAtTheBadRow_WithOneLineNamingPathAndReason()
    {
        var ml = new MLContext(1);
        string badFile = Malformed("trunc_idat_mid.png");
        IDataView input = ml.Data.Cache(ImageRows.Paths(ml, [Valid("rgb8.png"), Valid("gray8.png"), badFile, Valid("rgb8.png")]));
        _ = input.Preview();
        SafeImageLoadingTransformer loader = ml.Transforms.LoadImagesSafely("Image", null, "Path", BadImageHandling.Fail).Fit(input);
        IDataView images = loader.Transform(input);
        DataViewSchema.Column column = images.Schema["Image"];
        using DataViewRowCursor cursor = images.GetRowCursor([column]);
        int served = 0;

        var ex = Assert.Throws<ImageLoadException>(() =>
        {
            while (cursor.MoveNext())
            {
                served++;
            }
        });

        Assert.Equal(2, served);
        Assert.Equal(badFile, ex.Failure.Path);
        Assert.StartsWith($"cannot load image '{badFile}': truncated PNG data", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(1, loader.Diagnostics.FailureCount);
        Assert.Equal(4, images.GetRowCount()); // a failing pass keeps every row or none
        Assert.Null(ml.Transforms.LoadImagesSafely("Image", null, "Path").Fit(input).Transform(input).GetRowCount()); // skipping makes the count unknown
    }

    [Fact]
    public void ResizeAndExtractPixels_AfterIt_GiveImageAnalyticsPixels()
    {
        var ml = new MLContext(1);
        string[] names = ["gray8.png", "rgb8.png", "rgba8.png", "yuv420.jpg", "rgb_progressive.jpg"];
        IDataView input = ImageRows.Paths(ml, names);

        var safe = ml.Transforms.LoadImagesSafely("Image", Corpus.Valid, "Path")
            .Append(ml.Transforms.ResizeImages("Image", imageWidth: 7, imageHeight: 5))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"));
        var reference = ml.Transforms.LoadImages("Image", Corpus.Valid, "Path")
            .Append(ml.Transforms.ResizeImages("Image", imageWidth: 7, imageHeight: 5))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"));
        IDataView safeOutput = safe.Fit(input).Transform(input), referenceOutput = reference.Fit(input).Transform(input);

        Assert.Equal(referenceOutput.Schema["Pixels"].Type, safeOutput.Schema["Pixels"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3, 5, 7), safeOutput.Schema["Pixels"].Type);
        float[][] actual = [.. safeOutput.GetColumn<float[]>("Pixels")], expected = [.. referenceOutput.GetColumn<float[]>("Pixels")];
        Assert.Equal(expected, actual);
        float[] gray = actual[0];
        Assert.Equal(Enumerable.Range(0, 35).Select(p => (float)(10 + (15 * (p % 7)) + (35 * (p / 7)))), gray[..35]); // red plane of gray8.png
    }

    [Fact]
    public void GrayPngsOfFashionMnist_GiveTheDatasetsFeatures_SoOneEstimatorTakesBoth()
    {
        var ml = new MLContext(1);
        IDataView dataset = ml.Data.LoadFashionMnist(Transforms.Datasets.FashionMnistSplit.Test, limit: 5);
        float[][] features = [.. dataset.GetColumn<float[]>("Features")];
        using var dir = new TempDirectory();
        for (int i = 0; i < features.Length; i++)
        {
            File.WriteAllBytes(dir.File($"{i}.png"), PngEncoding.EncodePlanar(features[i], channels: 1, height: 28, width: 28));
        }

        IDataView files = ImageRows.Paths(ml, Enumerable.Range(0, features.Length).Select(i => $"{i}.png"));
        IDataView pixels = ml.Transforms.LoadImagesSafely("Image", dir.Path, "Path")
            .Append(ml.Transforms.ResizeImages("Image", 28, 28))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", colorsToExtract: Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator.ColorBits.Red))
            .Fit(files).Transform(files);

        Assert.Equal(dataset.Schema["Features"].Type, pixels.Schema["Features"].Type);
        Assert.Equal(features, pixels.GetColumn<float[]>("Features"));
    }
}
