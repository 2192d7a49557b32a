using MLNetFlows.Data;
using MLNetFlows.Testing;
using MLNetFlows.Transforms.Image;
using static MLNetFlows.Transforms.Image.ImagePixelExtractingEstimator;

namespace MLNetFlows.Transforms.Tests.Image;

/// <summary>Every image estimator through the shared contract: schema agreement, bad input, repeatability, save → load.</summary>
public sealed class ImageContractTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView Unsized() => Images.View(Ml, Images.Rgb(3, 2, [.. Enumerable.Range(0, 18).Select(i => (byte)(i * 13))]), Images.Gray(5, 4, [.. Enumerable.Range(0, 20).Select(i => (byte)(i * 11))]), null);

    private static IDataView Sized() => Ml.Data.LoadFromEnumerable(new[]
    {
        new Images.SizedRow { Image = Images.Rgba(3, 2, [.. Enumerable.Range(0, 24).Select(i => (byte)(i * 10))]) },
        new Images.SizedRow { Image = Images.Gray(3, 2, 1, 2, 3, 4, 5, 6) },
    });

    private static BadInput NotAnImage(string expected) =>
        new(Ml.Data.LoadFromEnumerable(new[] { new Images.TextImageRow { Image = "a.png" } }), "Image", expected, "String");

    private static BadInput NoImage(string expected) =>
        new(Ml.Data.LoadFromEnumerable(new[] { new Images.PathRow { Path = "a.png" } }), "Image", expected, null);

    [Fact]
    public void LoadImages_PassesContract()
    {
        string[] files = ["rgb8.png", "gray8.png", "rgba8.png", "rgb.jpg", "missing.png"];
        IDataView paths = Ml.Data.LoadFromEnumerable(files.Select(f => new Images.PathRow { Path = f }));
        BadInput missing = new(Images.View(Ml, Images.Gray(1, 1, 0)), "Path", "text scalar", null);
        BadInput image = new(Ml.Data.LoadFromEnumerable(new[] { new Images.AnyImageRow { Image = Images.Gray(1, 1, 0) } }).Pipe(d => Ml.Transforms.CopyColumns("Path", "Image").Fit(d).Transform(d)), "Path", "text scalar", "Image");

        ImageLoadingTransformer transformer = EstimatorContract.Check(Ml, Ml.Transforms.LoadImages("Image", Corpus.Valid, "Path"), paths, missing, image);

        MLImage[] loaded = Images.Column<MLImage>(transformer.Transform(paths), "Image");
        Assert.Equal([MLPixelFormat.Rgb24, MLPixelFormat.Gray8, MLPixelFormat.Rgba32, MLPixelFormat.Rgb24], loaded[..4].Select(i => i.PixelFormat));
        Assert.All(loaded[..3], i => Assert.Equal((7, 5), (i.Width, i.Height)));
        Assert.Null(loaded[4]);
        Assert.True(transformer.Diagnostics.FailureCount >= 1);
        Assert.Equal("the file does not exist", Assert.Single(transformer.Diagnostics.Failures).Reason);
    }

    [Fact]
    public void ResizeImages_PassesContract() =>
        EstimatorContract.Check(Ml, Ml.Transforms.ResizeImages("Resized", 4, 3, "Image"), Unsized(), NotAnImage("an image (Image)"), NoImage("an image (Image)"));

    [Fact]
    public void ConvertToGrayscale_PassesContract() =>
        EstimatorContract.Check(Ml, Ml.Transforms.ConvertToGrayscale("Gray", "Image"), Unsized(), NotAnImage("an image (Image)"), NoImage("an image (Image)"));

    [Fact]
    public void ExtractPixels_PassesContract()
    {
        BadInput unsized = new(Unsized(), "Image", "known size", "Image");
        EstimatorContract.Check(Ml, Ml.Transforms.ExtractPixels("P", "Image", ColorBits.All, ColorsOrder.ABGR, offsetImage: 128, scaleImage: 1 / 128f), Sized(), unsized, NotAnImage("known size"), NoImage("known size"));
        EstimatorContract.Check(Ml, Ml.Transforms.ExtractPixels("P", "Image", interleavePixelColors: true, outputAsFloatArray: false), Sized());
    }

    [Fact]
    public void ConvertToImage_PassesContract()
    {
        IDataView pixels = Ml.Transforms.ExtractPixels("P", "Image", scaleImage: 1 / 255f).Fit(Sized()).Transform(Sized());
        IDataView textView = Ml.Data.LoadFromEnumerable(new[] { new Images.TextImageRow { Image = "x" } });
        BadInput text = new(Ml.Transforms.CopyColumns("P", "Image").Fit(textView).Transform(textView), "P", "a known-size vector of Single, Double or Byte", "String");
        BadInput missing = new(textView, "P", "a known-size vector of Single, Double or Byte", null);

        EstimatorContract.Check(Ml, Ml.Transforms.ConvertToImage(2, 3, "Back", "P", scaleImage: 255), pixels, text, missing);
    }

    [Fact]
    public void WholePipeline_SavesAndLoadsAsOneModel()
    {
        IDataView paths = Ml.Data.LoadFromEnumerable(new[] { "rgb8.png", "gray.jpg", "palette8_trns.png" }.Select(f => new Images.PathRow { Path = f }));
        var pipeline = Ml.Transforms.LoadImages("Image", Corpus.Valid, "Path")
            .Append(Ml.Transforms.ResizeImages("Image", 4, 4, resizing: ImageResizingEstimator.ResizingKind.IsoPad))
            .Append(Ml.Transforms.ConvertToGrayscale("Gray", "Image"))
            .Append(Ml.Transforms.ExtractPixels("Pixels", "Gray", ColorBits.Red, scaleImage: 1 / 255f));

        EstimatorContract.Check(Ml, pipeline, paths);
    }
}

internal static class PipeExtensions
{
    public static TOut Pipe<TIn, TOut>(this TIn value, Func<TIn, TOut> f) => f(value);
}
