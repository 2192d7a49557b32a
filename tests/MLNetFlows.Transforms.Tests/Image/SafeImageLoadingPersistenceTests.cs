using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Image;
using MLNetFlows.Transforms.Tests.Persistence;

namespace MLNetFlows.Transforms.Tests.Image;

/// <summary>LoadImagesSafely saved with mlContext.Model.Save and loaded back, alone and in a chain, like ImageAnalytics' LoadImages.</summary>
public sealed class SafeImageLoadingPersistenceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static MLContext FreshContext()
    {
        var ml = new MLContext(seed: 1);
        ml.ComponentCatalog.RegisterMLNetFlowsTransforms();
        return ml;
    }

    [Fact]
    public void SatisfiesTheEstimatorContractWithLoadingInAFreshContext()
    {
        var ml = new MLContext(1);
        IDataView input = ImageRows.Paths(ml, ["rgb8.png", "gray8.png", "yuv420.jpg", "palette8_trns.png"]);
        IDataView numbers = ml.Data.LoadFromEnumerable(new[] { new SafeImageLoadingEdgeTests.NumberRow { Path = 1f } });

        SafeImageLoadingTransformer loader = EstimatorContract.Check(ml, ml.Transforms.LoadImagesSafely("Image", Corpus.Valid, "Path"), input, FreshContext,
            new BadInput(numbers, "Path", "String", "Single"));

        Assert.Equal(0, loader.Diagnostics.FailureCount);
        Assert.True(loader.Diagnostics.LoadedCount > 0 && loader.Diagnostics.LoadedCount % 4 == 0, $"{loader.Diagnostics.LoadedCount} images loaded: every pass loads all four");
    }

    [Fact]
    public void AChainWithResizeAndExtractPixelsLoadsInAFreshContextWithIdenticalOutput()
    {
        var ml = new MLContext(2);
        IDataView input = ImageRows.Paths(ml, ["rgb8.png", Path.Combine(Corpus.Malformed, "trunc_idat_mid.png"), "yuv420.jpg", "no-such-file.png", "gray.jpg"]);
        var chain = ml.Transforms.LoadImagesSafely("Image", Corpus.Valid, "Path")
            .Append(ml.Transforms.ResizeImages("Image", imageWidth: 7, imageHeight: 5))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
            .Fit(input);
        var path = _directory.File("chain.zip");
        ml.Model.Save(chain, input.Schema, path);

        var fresh = FreshContext();
        ITransformer loaded = fresh.Model.Load(path, out DataViewSchema? schema);

        SchemaComparer.AssertSameColumns(input.Schema, schema!, "loaded input schema");
        IDataView expected = chain.Transform(input), actual = loaded.Transform(input);
        DataViewComparer.AssertEqual(expected, actual, "fresh context");
        SafeImageLoadingTransformer reloaded = ((IEnumerable<ITransformer>)loaded).OfType<SafeImageLoadingTransformer>().Single();
        Assert.Equal((2, 3), (reloaded.Diagnostics.FailureCount, reloaded.Diagnostics.LoadedCount)); // one pass, counted apart from the original's
        Assert.Equal((2, 3), (chain.OfType<SafeImageLoadingTransformer>().Single().Diagnostics.FailureCount, chain.OfType<SafeImageLoadingTransformer>().Single().Diagnostics.LoadedCount));
        Assert.Equal([0, 2, 4], actual.GetColumn<int>("Index"));
    }

    [Fact]
    public void ALoadedLoaderKeepsEveryOptionAndStartsWithFreshDiagnostics()
    {
        var ml = new MLContext(3);
        IDataView input = ImageRows.Paths(ml, ["rgb8.png", "gray.jpg"]);
        var options = new SafeImageLoadingEstimator.Options
        {
            OutputColumnName = "Picture", InputColumnName = "Path", ImageFolder = Corpus.Valid, MaxPixels = 40,
            OnBadImage = BadImageHandling.Fail, BatchSize = 3, MaxDegreeOfParallelism = 0,
        };
        SafeImageLoadingTransformer original = ml.Transforms.LoadImagesSafely(options).Fit(input);
        Assert.Throws<ImageLoadException>(() => original.Transform(input).GetColumn<int>("Index").ToArray()); // gray.jpg is 16x16, over 40 pixels
        using var stream = new MemoryStream();
        ml.Model.Save(original, input.Schema, stream);
        stream.Position = 0;

        var loaded = Assert.IsType<SafeImageLoadingTransformer>(FreshContext().Model.Load(stream, out _));

        Assert.Equal(
            (original.OutputColumnName, original.InputColumnName, original.ImageFolder, original.MaxPixels, original.OnBadImage, original.BatchSize, original.MaxDegreeOfParallelism),
            (loaded.OutputColumnName, loaded.InputColumnName, loaded.ImageFolder, loaded.MaxPixels, loaded.OnBadImage, loaded.BatchSize, loaded.MaxDegreeOfParallelism));
        Assert.Equal(Environment.ProcessorCount, loaded.MaxDegreeOfParallelism); // 0 was saved: one thread per processor here
        Assert.NotSame(original.Diagnostics, loaded.Diagnostics);
        Assert.Equal((0, 0), (loaded.Diagnostics.FailureCount, loaded.Diagnostics.LoadedCount));
        var error = Assert.Throws<ImageLoadException>(() => loaded.Transform(input).GetColumn<int>("Index").ToArray());
        Assert.Contains("over the limit of 40 pixels", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, loaded.Diagnostics.FailureCount);
        Assert.Equal(1, original.Diagnostics.FailureCount);
    }

    [Fact]
    public void AContextThatUsedLoadImagesSafelyLoadsItsModelsWithoutARegistrationCall()
    {
        var ml = new MLContext(4);
        IDataView input = ImageRows.Paths(ml, ["rgb8.png"]);
        var path = _directory.File("loader.zip");
        ml.Model.Save(ml.Transforms.LoadImagesSafely("Image", Corpus.Valid, "Path").Fit(input), input.Schema, path);

        var unregistered = new MLContext(5);
        Assert.ThrowsAny<Exception>(() => unregistered.Model.Load(path, out _));
        var user = new MLContext(6);
        _ = user.Transforms.LoadImagesSafely("Other", imageFolder: null);

        Assert.IsType<SafeImageLoadingTransformer>(user.Model.Load(path, out _));
    }

    [Theory]
    [InlineData("\"maxPixels\": 100000000", "\"maxPixels\": 0", "parameter 'maxPixels' is 0, expected an integer in [1, 9223372036854775807]")]
    [InlineData("\"onBadImage\": \"Skip\"", "\"onBadImage\": \"Sometimes\"", "parameter 'onBadImage' is \"Sometimes\", expected one of Skip, Fail")]
    [InlineData("\"batchSize\": 64", "\"batchSize\": 0", "parameter 'batchSize' is 0, expected an integer in [1, 2147483647]")]
    [InlineData("\"outputColumnName\": \"Image\"", "\"outputColumnName\": \" \"", "parameter 'outputColumnName' is blank, expected a column name")]
    public void ASavedLoaderWithAnInvalidSettingIsRefusedNamingIt(string original, string altered, string problem)
    {
        var ml = new MLContext(7);
        IDataView input = ImageRows.Paths(ml, ["rgb8.png"]);
        var path = _directory.File($"{Guid.NewGuid():N}.zip");
        ml.Model.Save(ml.Transforms.LoadImagesSafely("Image", Corpus.Valid, "Path").Fit(input), input.Schema, path);
        ModelFiles.Rewrite(path, "TransformerChain/manifest.json", bytes =>
        {
            var text = Encoding.UTF8.GetString(bytes);
            Assert.Contains(original, text, StringComparison.Ordinal);
            return Encoding.UTF8.GetBytes(text.Replace(original, altered, StringComparison.Ordinal));
        });

        var error = ModelFiles.LoadError(FreshContext(), path);

        Assert.Equal($"the MLNetFlows component 'MLNetFlowsSafeImageLoad' at 'TransformerChain' of the model file is invalid: {problem}", error.Message);
    }
}
