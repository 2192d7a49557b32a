using MLNetFlows.Data;
using MLNetFlows.Transforms.Image;
using static MLNetFlows.Transforms.Image.ImagePixelExtractingEstimator;

namespace MLNetFlows.Transforms.Tests.Image;

public sealed class PixelTransformTests
{
    private static readonly MLContext Ml = new(seed: 1);

    /// <summary>A 3-wide, 2-high RGB image whose pixel i (row-major) is (10i + 1, 10i + 2, 10i + 3).</summary>
    private static IDataView Sized() => Ml.Data.LoadFromEnumerable(new[]
    {
        new Images.SizedRow { Image = Images.Rgb(3, 2, [.. Enumerable.Range(0, 6).SelectMany(i => new[] { (byte)((10 * i) + 1), (byte)((10 * i) + 2), (byte)((10 * i) + 3) })]) },
    });

    private static float R(int i) => (10 * i) + 1;

    private static float G(int i) => (10 * i) + 2;

    private static float B(int i) => (10 * i) + 3;

    [Fact]
    public void ExtractPixels_Defaults_ArePlanarRgbFloats()
    {
        IDataView output = Ml.Transforms.ExtractPixels("Pixels", "Image").Fit(Sized()).Transform(Sized());

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3, 2, 3), output.Schema["Pixels"].Type);
        float[] expected = [.. Enumerable.Range(0, 6).Select(R), .. Enumerable.Range(0, 6).Select(G), .. Enumerable.Range(0, 6).Select(B)];
        Assert.Equal(expected, Images.Floats(output, "Pixels")[0]);
    }

    [Fact]
    public void ExtractPixels_Interleaved_IsHeightWidthPlanes()
    {
        IDataView output = Ml.Transforms.ExtractPixels("Pixels", "Image", interleavePixelColors: true).Fit(Sized()).Transform(Sized());

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2, 3, 3), output.Schema["Pixels"].Type);
        Assert.Equal(Enumerable.Range(0, 6).SelectMany(i => new[] { R(i), G(i), B(i) }), Images.Floats(output, "Pixels")[0]);
    }

    [Fact]
    public void ExtractPixels_SubtractsOffsetThenScales()
    {
        IDataView output = Ml.Transforms.ExtractPixels("Pixels", "Image", colorsToExtract: ColorBits.Red, offsetImage: 1, scaleImage: 0.5f).Fit(Sized()).Transform(Sized());

        Assert.Equal(Enumerable.Range(0, 6).Select(i => (R(i) - 1) * 0.5f), Images.Floats(output, "Pixels")[0]);
    }

    [Fact]
    public void ExtractPixels_OrderAndOpaqueAlpha_FollowMlNet()
    {
        IDataView output = Ml.Transforms.ExtractPixels("Pixels", "Image", ColorBits.All, ColorsOrder.ABGR, interleavePixelColors: true, outputAsFloatArray: false)
            .Fit(Sized()).Transform(Sized());

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Byte, 2, 3, 4), output.Schema["Pixels"].Type);
        Assert.Equal(new byte[] { 255, 3, 2, 1, 255, 13, 12, 11 }, Images.Bytes(output, "Pixels")[0][..8]);
    }

    [Fact]
    public void ExtractPixels_ByteOutputWithScale_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ml.Transforms.ExtractPixels("P", "Image", scaleImage: 2, outputAsFloatArray: false));
        Assert.Contains("byte output", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtractPixels_ImageOfUnknownSize_IsRefusedUntilResized()
    {
        IDataView unsized = Images.View(Ml, Images.Gray(2, 2, 1, 2, 3, 4));

        var ex = Assert.Throws<SchemaMismatchException>(() => Ml.Transforms.ExtractPixels("P", "Image").Fit(unsized));
        Assert.Contains("known size", ex.Message, StringComparison.Ordinal);
        var pipeline = Ml.Transforms.ResizeImages("Image", 2, 2, "Image").Append(Ml.Transforms.ExtractPixels("P", "Image", colorsToExtract: ColorBits.Red));
        Assert.Equal(new float[] { 1, 2, 3, 4 }, Images.Floats(pipeline.Fit(unsized).Transform(unsized), "P")[0]);
    }

    [Fact]
    public void ExtractPixels_MissingImage_FailsNamingColumnRowAndFix()
    {
        IDataView data = Images.View(Ml, Images.Gray(1, 1, 7), null);
        IDataView output = Ml.Transforms.ResizeImages("Image", 1, 1).Append(Ml.Transforms.ExtractPixels("P", "Image")).Fit(data).Transform(data);

        var ex = Assert.Throws<InvalidOperationException>(() => Images.Floats(output, "P"));
        Assert.Contains("'Image' has no image at row 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FilterRowsByMissingValues", ex.Message, StringComparison.Ordinal);
        IDataView kept = Ml.Data.FilterRowsByMissingValues(output, "Image");
        Assert.Equal([new float[] { 7, 7, 7 }], Images.Floats(kept, "P"));
    }

    [Fact]
    public void Grayscale_UsesMlNetWeights_AndStillExtractsThreeEqualPlanes()
    {
        IDataView data = Images.View(Ml, Images.Rgba(3, 1, 255, 0, 0, 10, 0, 255, 0, 20, 0, 0, 255, 30));
        var pipeline = Ml.Transforms.ConvertToGrayscale("Gray", "Image")
            .Append(Ml.Transforms.ResizeImages("Gray", 3, 1, "Gray"))
            .Append(Ml.Transforms.ExtractPixels("P", "Gray", ColorBits.All, outputAsFloatArray: false));
        IDataView output = pipeline.Fit(data).Transform(data);

        MLImage gray = Images.Column<MLImage>(output, "Gray")[0];
        Assert.Equal(MLPixelFormat.Gray8, gray.PixelFormat);
        Assert.Equal(new byte[] { 77, 150, 28 }, gray.Pixels.ToArray()); // round(0.3·255), round(0.59·255), round(0.11·255)
        Assert.Equal(new byte[] { 255, 255, 255, 77, 150, 28, 77, 150, 28, 77, 150, 28 }, Images.Bytes(output, "P")[0]);
    }

    [Fact]
    public void ConvertToImage_TakesHeightThenWidth_AndScalesThenSubtractsOffset()
    {
        float[] pixels = [.. Enumerable.Range(0, 6).Select(R), .. Enumerable.Range(0, 6).Select(G), .. Enumerable.Range(0, 6).Select(B)];
        IDataView extracted = Ml.Transforms.ExtractPixels("Pixels", "Image", offsetImage: 1, scaleImage: 0.5f).Fit(Sized()).Transform(Sized());

        // Undo (p − 1) · 0.5 with p = v · 2 − (−1).
        IDataView back = Ml.Transforms.ConvertToImage(2, 3, "Back", "Pixels", scaleImage: 2, offsetImage: -1).Fit(extracted).Transform(extracted);

        Assert.Equal(new ImageDataViewType(2, 3), back.Schema["Back"].Type);
        MLImage image = Images.Column<MLImage>(back, "Back")[0];
        Assert.Equal((3, 2, MLPixelFormat.Rgb24), (image.Width, image.Height, image.PixelFormat));
        Assert.Equal(Images.Column<MLImage>(Sized(), "Image")[0].Pixels.ToArray(), image.Pixels.ToArray());
        Assert.Equal(18, pixels.Length);
    }

    [Fact]
    public void ConvertToImage_AbsentChannelsTakeDefaults_AndValuesSaturate()
    {
        var rows = new[] { new VectorRow { Values = [-20f, 300f, 127.5f, 128.5f] } };
        IDataView data = Ml.Data.LoadFromEnumerable(rows);

        IDataView output = Ml.Transforms.ConvertToImage(2, 2, "Image", "Values", ColorBits.Green, defaultAlpha: 9, defaultRed: 5).Fit(data).Transform(data);

        MLImage image = Images.Column<MLImage>(output, "Image")[0];
        Assert.Equal(MLPixelFormat.Rgba32, image.PixelFormat);
        Assert.Equal(new byte[] { 5, 0, 0, 9, 5, 255, 0, 9, 5, 128, 0, 9, 5, 128, 0, 9 }, image.Pixels.ToArray()); // half to even
    }

    public sealed class VectorRow
    {
        [VectorType(4)]
        public float[] Values { get; set; } = [];
    }
}
