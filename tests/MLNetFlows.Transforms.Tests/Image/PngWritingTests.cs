using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Datasets;
using MLNetFlows.Transforms.Image;
using MLNetFlows.Transforms.Image.Decoding;

namespace MLNetFlows.Transforms.Tests.Image;

public sealed class PngWritingTests
{
    private static DecodedImage Decode(byte[] png) => ImageDecoder.Decode(png, 100_000_000);

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 2)]
    [InlineData(4, 6)]
    public void Encode_WritesTheChannelsAsPngColourType_AndDecodesBackExactly(int channels, int colorType)
    {
        byte[] pixels = [.. Enumerable.Range(0, 3 * 2 * channels).Select(i => (byte)((i * 37) + 5))];
        if (channels == 4)
        {
            for (int i = 3; i < pixels.Length; i += 4)
            {
                pixels[i] = 255; // opaque, so premultiplied decoding gives the values back
            }
        }

        byte[] png = PngEncoding.Encode(pixels, width: 3, height: 2, channels);
        DecodedImage image = Decode(png);

        Assert.Equal(colorType, png[25]); // IHDR's colour type byte
        Assert.Equal((3, 2), (image.Width, image.Height));
        for (int p = 0; p < 6; p++)
        {
            byte[] rgb = channels == 1 ? [pixels[p], pixels[p], pixels[p]] : [pixels[p * channels], pixels[(p * channels) + 1], pixels[(p * channels) + 2]];
            Assert.Equal(new[] { rgb[2], rgb[1], rgb[0] }, image.Pixels[(4 * p)..((4 * p) + 3)]);
        }
    }

    [Fact]
    public void Encode_IsDeterministic_AndTheLevelChangesTheSize()
    {
        byte[] pixels = [.. Enumerable.Range(0, 64 * 64).Select(i => (byte)((i % 64) < 32 ? 0 : 200))];

        byte[] best = PngEncoding.Encode(pixels, 64, 64, 1, compressionLevel: 9);

        Assert.Equal(best, PngEncoding.Encode(pixels, 64, 64, 1, compressionLevel: 9));
        Assert.True(best.Length < PngEncoding.Encode(pixels, 64, 64, 1, compressionLevel: 0).Length);
    }

    [Fact]
    public void EncodePlanar_RoundsHalfToEven_AndClamps()
    {
        float[] planar = [-3f, 300f, 127.5f, 128.5f, 0.4f, 254.6f];

        DecodedImage image = Decode(PngEncoding.EncodePlanar(planar, channels: 1, height: 2, width: 3));

        Assert.Equal(new byte[] { 0, 255, 128, 128, 0, 255 }, Enumerable.Range(0, 6).Select(p => image.Pixels[4 * p]));
    }

    [Fact]
    public void BadArguments_AreRefusedWithTheExpectedValues()
    {
        Assert.Contains("expected 1 (gray), 3 (RGB) or 4 (RGBA) channels, got 2", Assert.Throws<ArgumentException>(() => PngEncoding.Encode(new byte[8], 2, 2, 2)).Message, StringComparison.Ordinal);
        Assert.Contains("expected 12 bytes for a 2x2 image of 3 channel(s), got 8", Assert.Throws<ArgumentException>(() => PngEncoding.Encode(new byte[8], 2, 2, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => PngEncoding.EncodePlanar([float.NaN], 1, 1, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("compression level of 0 to 9, got 10", Assert.Throws<ArgumentException>(() => PngEncoding.Encode(new byte[1], 1, 1, 1, 10)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grid_PlacesImagesInRowsWithBlackGaps()
    {
        float[][] images = [[10, 11, 12, 13], [20, 21, 22, 23], [30, 31, 32, 33]];

        DecodedImage grid = Decode(ImageGrid.EncodePng(images, channels: 1, height: 2, width: 2, columns: 2, gap: 1));

        Assert.Equal((7, 7), (grid.Width, grid.Height));
        byte At(int x, int y) => grid.Pixels[4 * ((y * 7) + x)];
        Assert.Equal(new byte[] { 0, 10, 11, 0, 20, 21, 0 }, Enumerable.Range(0, 7).Select(x => At(x, 1)));
        Assert.Equal(new byte[] { 0, 32, 33, 0, 0, 0, 0 }, Enumerable.Range(0, 7).Select(x => At(x, 5)));
        Assert.All(Enumerable.Range(0, 7), x => Assert.Equal(0, At(x, 0)));
    }

    [Fact]
    public void Grid_OfADataViewColumn_DrawsItsFirstImages()
    {
        IDataView data = new MLContext(1).Data.LoadFashionMnist(FashionMnistSplit.Test, limit: 10);
        float[] first = data.GetColumn<float[]>(ImageDatasetColumns.Features).First();

        DecodedImage grid = Decode(ImageGrid.EncodePng(data, ImageDatasetColumns.Features, maxImages: 4, columns: 2));

        Assert.Equal((62, 62), (grid.Width, grid.Height));
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                Assert.Equal(first[(y * 28) + x], grid.Pixels[4 * (((2 + y) * 62) + 2 + x)]);
            }
        }

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.EncodePng(data, ImageDatasetColumns.Label));
        Assert.Contains("expected Vector<Single, C, H, W>", ex.Message, StringComparison.Ordinal);
    }
}
