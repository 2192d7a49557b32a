using Microsoft.ML.Data;
using MLNetFlows.Transforms.Image.Decoding;

namespace MLNetFlows.Transforms.Tests.Image;

/// <summary>The decoder on the committed corpus: every malformed file refused with its reason, every valid file decoded exactly as ImageAnalytics decodes it.</summary>
public sealed class ImageDecoderTests
{
    private const long Limit = 100_000_000;

    public static TheoryData<string, string> MalformedFiles()
    {
        var data = new TheoryData<string, string>();
        foreach ((string name, string reason) in Corpus.MalformedFiles())
        {
            data.Add(name, reason);
        }

        return data;
    }

    public static TheoryData<string> ValidFiles() => [.. Corpus.ValidFiles()];

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void MalformedFile_IsRefused_WithTheListedReason(string name, string reason)
    {
        byte[] data = File.ReadAllBytes(Path.Combine(Corpus.Malformed, name));

        var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(data, Limit));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corpus_HasEveryMalformedFileListedAndViceVersa()
    {
        string[] listed = [.. Corpus.MalformedFiles().Select(f => f.Name).Order(StringComparer.Ordinal)];
        string[] present = [.. Directory.GetFiles(Corpus.Malformed).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

        Assert.Equal(47, listed.Length);
        Assert.Equal(listed, present);
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void ValidFile_DecodesToTheSizeAndPixelsImageAnalyticsGives(string name)
    {
        string path = Path.Combine(Corpus.Valid, name);

        DecodedImage decoded = ImageDecoder.Decode(File.ReadAllBytes(path), Limit);

        using MLImage reference = MLImage.CreateFromFile(path);
        (int width, int height) = name.EndsWith(".png", StringComparison.Ordinal) ? (7, 5) : name.StartsWith("noise", StringComparison.Ordinal) ? (32, 32) : name.StartsWith("gray.", StringComparison.Ordinal) || name.StartsWith("rgb", StringComparison.Ordinal) ? (16, 16) : (61, 45);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        Assert.Equal((reference.Width, reference.Height, reference.PixelFormat), (decoded.Width, decoded.Height, decoded.Format));
        Assert.Equal(reference.Pixels.ToArray(), decoded.Pixels);
    }

    [Theory]
    [InlineData("gray8.png")]
    [InlineData("gray16.png")]
    [InlineData("rgb8.png")]
    [InlineData("rgb16.png")]
    [InlineData("rgb8_interlaced.png")]
    [InlineData("palette8.png")]
    public void OpaquePng_HasTheGeneratorsPixels(string name)
    {
        DecodedImage image = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(Corpus.Valid, name)), Limit);

        for (int y = 0; y < 5; y++)
        {
            for (int x = 0; x < 7; x++)
            {
                int i = 4 * ((7 * y) + x), p = (x + (3 * y)) % 8, gray = 10 + (15 * x) + (35 * y);
                (int r, int g, int b) = name.StartsWith("gray", StringComparison.Ordinal) ? (gray, gray, gray)
                    : name.StartsWith("palette", StringComparison.Ordinal) ? (30 * p, 255 - (25 * p), 10 + (3 * p * p))
                    : ((30 * x) + (7 * y), 255 - (20 * x) - (30 * y), 40 + (8 * x * y));
                Assert.Equal(new[] { b, g, r, 255 }, image.Pixels[i..(i + 4)].Select(v => (int)v));
            }
        }
    }

    [Fact]
    public void RgbaPng_HasPremultipliedAlpha_AsImageAnalytics()
    {
        DecodedImage image = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(Corpus.Valid, "rgba8.png")), Limit);

        (int x, int y) = (6, 4);
        int i = 4 * ((7 * y) + x), alpha = 50 + (30 * x) + (5 * y), red = (30 * x) + (7 * y);
        Assert.Equal(alpha, image.Pixels[i + 3]);
        Assert.InRange(image.Pixels[i + 2], (red * alpha / 255) - 1, (red * alpha / 255) + 1);
    }

    [Fact]
    public void MaxPixels_RefusesLargerImages_FromTheHeader()
    {
        byte[] png = File.ReadAllBytes(Path.Combine(Corpus.Valid, "rgb8.png"));
        byte[] jpeg = File.ReadAllBytes(Path.Combine(Corpus.Valid, "yuv420.jpg"));

        Assert.Contains("image declares 7x5 = 35 pixels, over the limit of 34 pixels", Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(png, 34)).Message, StringComparison.Ordinal);
        Assert.Contains("image declares 61x45 = 2745 pixels, over the limit of 2744 pixels", Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(jpeg, 2744)).Message, StringComparison.Ordinal);
        Assert.Equal(7, ImageDecoder.Decode(png, 35).Width);
    }

    [Theory]
    [InlineData("trunc_idat_crc.png")]
    [InlineData("no_iend.png")]
    [InlineData("jpeg_marker_in_scan.jpg")]
    public void ImageAnalytics_DecodesSomeBrokenFilesSilently_WhichIsWhyTheChecksExist(string name)
    {
        string path = Path.Combine(Corpus.Malformed, name);

        using MLImage silentlyDecoded = MLImage.CreateFromFile(path);

        Assert.True(silentlyDecoded.Width > 0);
        Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(File.ReadAllBytes(path), Limit));
    }
}
