using MLNetFlows.Torch.Imaging;

namespace MLNetFlows.Torch.Tests;

/// <summary>
/// PNG/JPEG decoding and PNG encoding through libpng and libjpeg-turbo, on the corpus of Images/make_image_corpus.py:
/// exact pixels for every colour type and channel conversion, bit-exact round trips, and a clear
/// <see cref="ImageDecodeException"/> (never a crash, never a leak) for every malformed file.
/// </summary>
public sealed class ImageCodecTests
{
    private static readonly string[] ValidPngs =
    [
        "gray8.png", "gray_alpha8.png", "gray1.png", "gray16.png", "rgb8.png", "rgb16.png", "rgb8_interlaced.png",
        "rgba8.png", "rgba8_interlaced.png", "palette8.png", "palette8_trns.png", "rgb8_bad_text_crc.png",
    ];

    public static TheoryData<string, int> PngConversions()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in ValidPngs)
        {
            foreach (var channels in new[] { 1, 3, 4 })
            {
                data.Add(file, channels);
            }
        }

        return data;
    }

    public static TheoryData<string> MalformedNames() => new(ImageCorpus.Malformed().Select(m => m.Name));

    [Theory]
    [MemberData(nameof(PngConversions))]
    public void ValidPngDecodesToTheExactPixelsForEachChannelCount(string file, int channels)
    {
        var image = ImageCodec.DecodeFile(ImageCorpus.Valid(file), channels);

        Assert.Equal((ImageCorpus.Width, ImageCorpus.Height, channels), (image.Width, image.Height, channels));
        var color = file.StartsWith("rgb", StringComparison.Ordinal) || file.StartsWith("palette", StringComparison.Ordinal);
        var sixteen = file.Contains("16", StringComparison.Ordinal);
        var expected = new byte[ImageCorpus.Width * ImageCorpus.Height * channels];
        for (var y = 0; y < ImageCorpus.Height; y++)
        {
            for (var x = 0; x < ImageCorpus.Width; x++)
            {
                var (r, g, b, a) = ImageCorpus.Stored(file, x, y);
                var low = ImageCorpus.LowByte(x, y);
                var gray = !color ? r : sixteen ? ImageCorpus.Luma16((r * 256) + low, (g * 256) + low, (b * 256) + low) : ImageCorpus.Luma8(r, g, b);
                int[] pixel = channels switch { 1 => [gray], 3 => [r, g, b], _ => [r, g, b, a] };
                for (var c = 0; c < channels; c++)
                {
                    expected[(((y * ImageCorpus.Width) + x) * channels) + c] = (byte)pixel[c];
                }
            }
        }

        Assert.Equal(expected, image.Pixels);
    }

    [Theory]
    [InlineData("gray8.png", ImageFormat.Png, 7, 5, 1)]
    [InlineData("gray_alpha8.png", ImageFormat.Png, 7, 5, 2)]
    [InlineData("rgb16.png", ImageFormat.Png, 7, 5, 3)]
    [InlineData("rgba8_interlaced.png", ImageFormat.Png, 7, 5, 4)]
    [InlineData("palette8.png", ImageFormat.Png, 7, 5, 3)]
    [InlineData("palette8_trns.png", ImageFormat.Png, 7, 5, 4)]
    [InlineData("gray.jpg", ImageFormat.Jpeg, 16, 16, 1)]
    [InlineData("rgb_progressive.jpg", ImageFormat.Jpeg, 16, 16, 3)]
    public void ProbeReadsFormatSizeAndStoredChannels(string file, ImageFormat format, int width, int height, int channels)
    {
        Assert.Equal(new ImageInfo(format, width, height, channels), ImageCodec.Probe(File.ReadAllBytes(ImageCorpus.Valid(file))));
    }

    [Fact]
    public void JpegDecodesToItsBlockValuesInEveryChannelCount()
    {
        var gray = ImageCodec.DecodeFile(ImageCorpus.Valid("gray.jpg"), channels: 1);
        var grayAsRgba = ImageCodec.DecodeFile(ImageCorpus.Valid("gray.jpg"), channels: 4);
        var rgb = ImageCodec.DecodeFile(ImageCorpus.Valid("rgb.jpg"), channels: 3);
        var rgbAsGray = ImageCodec.DecodeFile(ImageCorpus.Valid("rgb.jpg"), channels: 1);
        var rgba = ImageCodec.DecodeFile(ImageCorpus.Valid("rgb.jpg"), channels: 4);

        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                var block = (2 * (y / 8)) + (x / 8);
                var i = (y * 16) + x;
                // Quality 100, no subsampling, constant 8x8 blocks: gray is exact, colour is off by YCbCr rounding.
                Assert.Equal(ImageCorpus.JpegGrayBlocks[block], gray.Pixels[i]);
                Assert.Equal([gray.Pixels[i], gray.Pixels[i], gray.Pixels[i], 255], grayAsRgba.Pixels[(4 * i)..((4 * i) + 4)]);
                var (r, g, b) = ImageCorpus.JpegRgbBlocks[block];
                Assert.InRange(rgb.Pixels[3 * i] - r, -2, 2);
                Assert.InRange(rgb.Pixels[(3 * i) + 1] - g, -2, 2);
                Assert.InRange(rgb.Pixels[(3 * i) + 2] - b, -2, 2);
                Assert.InRange(rgbAsGray.Pixels[i] - ImageCorpus.Luma601(r, g, b), -1, 1);
                Assert.Equal([.. rgb.Pixels[(3 * i)..((3 * i) + 3)], (byte)255], rgba.Pixels[(4 * i)..((4 * i) + 4)]);
            }
        }

        // A progressive file holds the same quantised coefficients, hence the same pixels.
        Assert.Equal(rgb.Pixels, ImageCodec.DecodeFile(ImageCorpus.Valid("rgb_progressive.jpg")).Pixels);
        var noise = ImageCodec.DecodeFile(ImageCorpus.Valid("noise.jpg"));
        Assert.Equal((32, 32, 3 * 32 * 32), (noise.Width, noise.Height, noise.Pixels.Length));
    }

    [Theory]
    [InlineData(1, 1, 1, 9)]
    [InlineData(13, 7, 1, 9)]
    [InlineData(13, 7, 3, 0)]
    [InlineData(64, 48, 3, 9)]
    [InlineData(31, 17, 4, 1)]
    [InlineData(64, 48, 4, 6)]
    public void PngEncodeThenDecodeIsBitExact(int width, int height, int channels, int level)
    {
        var pixels = new byte[width * height * channels];
        new Random(width + (1000 * channels)).NextBytes(pixels);

        var png = ImageCodec.EncodePng(pixels, width, height, channels, level);
        var decoded = ImageCodec.Decode(png, channels);

        Assert.Equal(new ImageInfo(ImageFormat.Png, width, height, channels), ImageCodec.Probe(png));
        Assert.Equal((width, height, channels), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.Equal(pixels, decoded.Pixels);
        Assert.Equal(png, ImageCodec.EncodePng(pixels, width, height, channels, level)); // deterministic
        Assert.Equal(0, ImageCodec.LiveNativeCount);
    }

    [Fact]
    public void PngCompressionLevelChangesTheSizeNotThePixels()
    {
        var gradient = new byte[64 * 64];
        for (var i = 0; i < gradient.Length; i++)
        {
            gradient[i] = (byte)((i % 64) + (i / 64));
        }

        var stored = ImageCodec.EncodePng(gradient, 64, 64, 1, compressionLevel: 0);
        var smallest = ImageCodec.EncodePng(gradient, 64, 64, 1);

        Assert.True(smallest.Length < stored.Length / 4, $"level 9: {smallest.Length} bytes, level 0: {stored.Length}");
        Assert.Equal(ImageCodec.Decode(stored, 1).Pixels, ImageCodec.Decode(smallest, 1).Pixels);
        Assert.Equal(gradient, ImageCodec.Decode(smallest, 1).Pixels);
    }

    [Fact]
    public void DamagedAncillaryChunkIsSkippedAsLibpngDoes()
    {
        var clean = ImageCodec.DecodeFile(ImageCorpus.Valid("rgb8.png"));
        var damaged = ImageCodec.DecodeFile(ImageCorpus.Valid("rgb8_bad_text_crc.png"));

        Assert.Equal(clean.Pixels, damaged.Pixels);
    }

    [Fact]
    public void CorpusHasAtLeastThirtyMalformedFilesAllListedWithAReason()
    {
        var listed = ImageCorpus.Malformed().Select(m => m.Name).Order(StringComparer.Ordinal).ToList();
        var present = Directory.GetFiles(Path.Combine(ImageCorpus.Root, "malformed")).Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal).ToList();

        Assert.True(listed.Count >= 30, $"{listed.Count} malformed files");
        Assert.Equal(listed, present);
    }

    [Theory]
    [MemberData(nameof(MalformedNames))]
    public void MalformedFileThrowsImageDecodeExceptionNamingPathAndReason(string name)
    {
        var (_, reason, what) = ImageCorpus.Malformed().Single(m => m.Name == name);
        var path = ImageCorpus.MalformedFile(name);

        foreach (var channels in new[] { 1, 3, 4 })
        {
            var error = Assert.Throws<ImageDecodeException>(() => ImageCodec.DecodeFile(path, channels));
            Assert.Equal(path, error.Path);
            Assert.StartsWith($"'{path}': ", error.Message, StringComparison.Ordinal);
            Assert.True(error.Reason.Contains(reason, StringComparison.Ordinal), $"{name} ({what}): '{error.Reason}' lacks '{reason}'");
        }

        var inMemory = Assert.Throws<ImageDecodeException>(() => ImageCodec.Decode(File.ReadAllBytes(path)));
        Assert.Null(inMemory.Path);
        Assert.Contains(reason, inMemory.Message, StringComparison.Ordinal);
        Assert.Equal(0, ImageCodec.LiveNativeCount);
    }

    [Fact]
    public void WholeMalformedCorpusTwentyTimesLeavesNothingAllocated()
    {
        var corpus = ImageCorpus.Malformed().Select(m => File.ReadAllBytes(ImageCorpus.MalformedFile(m.Name))).ToList();
        var valid = File.ReadAllBytes(ImageCorpus.Valid("rgba8_interlaced.png"));
        var expected = ImageCodec.Decode(valid, 4).Pixels;

        for (var round = 0; round < 20; round++)
        {
            foreach (var data in corpus)
            {
                Assert.Throws<ImageDecodeException>(() => ImageCodec.Decode(data, 1 + (3 * (round % 2))));
            }

            Assert.Equal(expected, ImageCodec.Decode(valid, 4).Pixels); // the codecs still work after each round
        }

        Assert.Equal(0, ImageCodec.LiveNativeCount);
    }

    [Fact]
    public void BombGuardRefusesFromTheHeaderBeforeAllocating()
    {
        var bomb = File.ReadAllBytes(ImageCorpus.MalformedFile("bomb_side.png"));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ImageDecodeException>(() => ImageCodec.Decode(bomb));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "the pixel array was allocated");
        Assert.Equal("image declares 100000x100000 pixels, over the limit of 65535 pixels per side (decompression-bomb guard)", error.Reason);
        Assert.Equal(new ImageInfo(ImageFormat.Png, 100_000, 100_000, 3), ImageCodec.Probe(bomb)); // probing reports, refuses nothing

        var small = File.ReadAllBytes(ImageCorpus.Valid("rgb8.png")); // 7 x 5 = 35 pixels
        var limited = Assert.Throws<ImageDecodeException>(() => ImageCodec.Decode(small, new ImageDecodeOptions { MaxPixels = 34 }));
        Assert.Equal("image declares 7x5 = 35 pixels, over the limit of 34 pixels (decompression-bomb guard)", limited.Reason);
        Assert.Equal(35 * 3, ImageCodec.Decode(small, new ImageDecodeOptions { MaxPixels = 35 }).Pixels.Length);
    }

    [Fact]
    public void FileProblemsAreImageDecodeExceptionsCarryingThePath()
    {
        var folder = Directory.CreateTempSubdirectory("mlnf-images-");
        try
        {
            var vanished = Path.Combine(folder.FullName, "vanished.png");
            File.Copy(ImageCorpus.Valid("rgb8.png"), vanished);
            File.Delete(vanished);
            var empty = Path.Combine(folder.FullName, "empty.jpg");
            File.WriteAllBytes(empty, []);

            AssertFails(vanished, "the file does not exist");
            AssertFails(Path.Combine(folder.FullName, "no-such-folder", "x.png"), "the file does not exist");
            AssertFails(empty, "the file is empty (0 bytes)");
            AssertFails(folder.FullName, "the file cannot be read");
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        static void AssertFails(string path, string reason)
        {
            var error = Assert.Throws<ImageDecodeException>(() => ImageCodec.DecodeFile(path));
            Assert.Equal(path, error.Path);
            Assert.StartsWith($"'{path}': {reason}", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void InvalidArgumentsAreArgumentExceptions()
    {
        var png = File.ReadAllBytes(ImageCorpus.Valid("rgb8.png"));

        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.Decode(png, channels: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.Decode(png, maxPixels: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.EncodePng(new byte[12], 2, 2, 3, compressionLevel: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.EncodePng(new byte[0], 0, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.EncodePng(new byte[65536], 65536, 1, 1));
        var wrongLength = Assert.Throws<ArgumentException>(() => ImageCodec.EncodePng(new byte[11], 2, 2, 3));
        Assert.Contains("expected 12 samples for a 2x2x3 image, got 11", wrongLength.Message, StringComparison.Ordinal);
        Assert.Equal(0, ImageCodec.LiveNativeCount);
    }
}
