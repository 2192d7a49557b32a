using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Transforms.Tests.Image;

/// <summary>Files that vanish, empty paths, size limits, schema errors, single-row use and shuffling (saving: SafeImageLoadingPersistenceTests).</summary>
public sealed class SafeImageLoadingEdgeTests
{
    private static readonly MLContext Ml = new(1);

    [Fact]
    public void FileThatVanishesMidPass_IsSkippedAndReported_OthersStillLoad()
    {
        using var temp = new TempDirectory();
        for (int i = 0; i < 4; i++)
        {
            File.Copy(Path.Combine(Corpus.Valid, "rgb.jpg"), temp.File($"{i}.jpg"));
        }

        IDataView input = ImageRows.Paths(Ml, Enumerable.Range(0, 4).Select(i => $"{i}.jpg"));
        var options = new SafeImageLoadingEstimator.Options { OutputColumnName = "Image", InputColumnName = "Path", ImageFolder = temp.Path, BatchSize = 2 };
        SafeImageLoadingTransformer loader = Ml.Transforms.LoadImagesSafely(options).Fit(input);
        IDataView images = loader.Transform(input);
        DataViewSchema.Column index = images.Schema["Index"];
        using DataViewRowCursor cursor = images.GetRowCursor([index]);
        ValueGetter<int> getIndex = cursor.GetGetter<int>(index);
        var seen = new List<int>();
        while (cursor.MoveNext())
        {
            if (cursor.Position == 1)
            {
                File.Delete(temp.File("3.jpg")); // the second batch (rows 2–3) is read after this
            }

            int i = 0;
            getIndex(ref i);
            seen.Add(i);
        }

        Assert.Equal([0, 1, 2], seen);
        ImageLoadFailure failure = Assert.Single(loader.Diagnostics.Failures);
        Assert.Equal((temp.File("3.jpg"), "the file does not exist"), (failure.Path, failure.Reason));
    }

    [Fact]
    public void EmptyPath_AndSizeLimit_AreCountedFailures()
    {
        IDataView input = ImageRows.Paths(Ml, [string.Empty, "rgb8.png", "gray.jpg"]);
        var options = new SafeImageLoadingEstimator.Options { OutputColumnName = "Image", InputColumnName = "Path", ImageFolder = Corpus.Valid, MaxPixels = 34 };
        SafeImageLoadingTransformer loader = Ml.Transforms.LoadImagesSafely(options).Fit(input);

        List<(MLImage Image, int Index)> rows = ImageRows.Read(loader.Transform(input));

        Assert.Empty(rows);
        Assert.Equal(3, loader.Diagnostics.FailureCount);
        Assert.Equal("the path is empty", loader.Diagnostics.Failures.Single(f => f.Path.Length == 0).Reason);
        Assert.Contains("7x5 = 35 pixels, over the limit of 34 pixels", loader.Diagnostics.Failures.Single(f => f.Path.EndsWith("rgb8.png", StringComparison.Ordinal)).Reason, StringComparison.Ordinal);
        Assert.Contains("16x16 = 256 pixels, over the limit of 34 pixels", loader.Diagnostics.Failures.Single(f => f.Path.EndsWith("gray.jpg", StringComparison.Ordinal)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingOrNonTextPathColumn_FailsAtEveryStage_NamingColumnAndTypes()
    {
        IDataView numbers = Ml.Data.LoadFromEnumerable(new[] { new NumberRow { Path = 1f } });
        SafeImageLoadingEstimator estimator = Ml.Transforms.LoadImagesSafely("Image", null, "Path");
        SafeImageLoadingTransformer transformer = estimator.Fit(ImageRows.Paths(Ml, ["a.png"]));
        IDataView noPath = Ml.Data.LoadFromEnumerable(new[] { new OtherRow { Other = 1f } });

        foreach (Action stage in new Action[] { () => estimator.Fit(numbers), () => transformer.Transform(numbers), () => estimator.GetOutputSchema(SchemaComparer.ShapeOf(numbers.Schema)) })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(stage);
            Assert.Contains("Schema mismatch for input column 'Path': expected String, got Single", ex.Message, StringComparison.Ordinal);
        }

        Assert.Contains("Could not find input column 'Path'", Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(noPath)).Message, StringComparison.Ordinal);
        Assert.Contains("Could not find input column 'Path'", Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(SchemaComparer.ShapeOf(noPath.Schema))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputSchema_OfEstimatorAndTransformer_IsImageAnalyticsImageColumn()
    {
        IDataView input = ImageRows.Paths(Ml, ["rgb8.png"]);
        SafeImageLoadingEstimator estimator = Ml.Transforms.LoadImagesSafely("Image", Corpus.Valid, "Path");

        SchemaShape shape = estimator.GetOutputSchema(SchemaComparer.ShapeOf(input.Schema));
        SchemaShape expected = Ml.Transforms.LoadImages("Image", Corpus.Valid, "Path").GetOutputSchema(SchemaComparer.ShapeOf(input.Schema));
        DataViewSchema schema = estimator.Fit(input).Transform(input).Schema;

        Assert.Equal(expected.Select(c => (c.Name, c.Kind, c.ItemType, c.IsKey)), shape.Select(c => (c.Name, c.Kind, c.ItemType, c.IsKey)));
        Assert.Equal(new Microsoft.ML.Transforms.Image.ImageDataViewType(), schema["Image"].Type);
        Assert.Equal(["Path", "Index", "Image"], schema.Select(c => c.Name));
    }

    [Fact]
    public void PredictionEngine_LoadsOneImage_AndFailsOnABadOne()
    {
        IDataView input = ImageRows.Paths(Ml, ["rgb8.png"]);
        var model = Ml.Transforms.LoadImagesSafely("Image", Corpus.Valid, "Path")
            .Append(Ml.Transforms.ResizeImages("Image", 7, 5))
            .Append(Ml.Transforms.ExtractPixels("Pixels", "Image"))
            .Fit(input);
        using var engine = Ml.Model.CreatePredictionEngine<ImageRows.PathRow, PixelsRow>(model);

        float[] pixels = engine.Predict(new ImageRows.PathRow { Path = "rgb8.png" }).Pixels;
        var ex = Assert.Throws<ImageLoadException>(() => engine.Predict(new ImageRows.PathRow { Path = Path.Combine(Corpus.Malformed, "no_iend.png") }));

        Assert.Equal(3 * 35, pixels.Length);
        Assert.Equal(40f, pixels[70]); // blue plane, pixel (0, 0): 40 + 8xy
        Assert.Contains("truncated PNG data", ex.Failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ShuffledCursor_KeepsEachRowsColumnsWithItsImage()
    {
        string[] names = ["rgb8.png", "gray8.png", "yuv420.jpg", "gray.jpg", "noise.jpg", "palette8.png", "rgba8.png"];
        IDataView input = ImageRows.Paths(Ml, [.. Enumerable.Range(0, 70).Select(i => names[i % names.Length])]);
        var options = new SafeImageLoadingEstimator.Options { OutputColumnName = "Image", InputColumnName = "Path", ImageFolder = Corpus.Valid, BatchSize = 8 };
        IDataView images = Ml.Transforms.LoadImagesSafely(options).Fit(input).Transform(input);
        DataViewSchema.Column image = images.Schema["Image"], path = images.Schema["Path"];

        using DataViewRowCursor cursor = images.GetRowCursor([image, path], new Random(5));
        ValueGetter<MLImage> getImage = cursor.GetGetter<MLImage>(image);
        ValueGetter<ReadOnlyMemory<char>> getPath = cursor.GetGetter<ReadOnlyMemory<char>>(path);
        int rows = 0;
        MLImage value = null!;
        ReadOnlyMemory<char> name = default;
        while (cursor.MoveNext())
        {
            getImage(ref value);
            getPath(ref name);
            Assert.Equal(Path.Combine(Corpus.Valid, name.ToString()), value.Tag);
            rows++;
        }

        value.Dispose();
        Assert.Equal(70, rows);
    }

    [Fact]
    public void InputWhoseCursorsDisagreeOnRowOrder_IsDetected_NotMisaligned()
    {
        IDataView cached = Ml.Data.Cache(ImageRows.Paths(Ml, [.. Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? "rgb8.png" : "gray.jpg")]));
        IDataView images = Ml.Transforms.LoadImagesSafely("Image", Corpus.Valid, "Path").Fit(cached).Transform(new DisagreeingCursorsView(cached));

        var ex = Assert.Throws<InvalidOperationException>(() => images.GetColumn<int>("Index").ToArray());

        Assert.Contains("the input view gave two cursors different rows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadOptions_AreRefusedWithTheirNames()
    {
        Assert.Contains("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Transforms.LoadImagesSafely(new SafeImageLoadingEstimator.Options { OutputColumnName = "I", BatchSize = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("MaxPixels", Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Transforms.LoadImagesSafely(new SafeImageLoadingEstimator.Options { OutputColumnName = "I", MaxPixels = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("OnBadImage", Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Transforms.LoadImagesSafely("I", null, onBadImage: (BadImageHandling)7)).Message, StringComparison.Ordinal);
    }

    public sealed class NumberRow
    {
        public float Path { get; set; }
    }

    public sealed class OtherRow
    {
        public float Other { get; set; }
    }

    public sealed class PixelsRow
    {
        [VectorType(3, 5, 7)]
        public float[] Pixels { get; set; } = [];
    }
}
