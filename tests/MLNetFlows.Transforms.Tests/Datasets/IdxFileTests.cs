using System.Buffers.Binary;
using System.IO.Compression;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Transforms.Tests.Datasets;

public sealed class IdxFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static byte[] IdxBytes(byte type, int[] dims, int payloadBytes)
    {
        var bytes = new byte[4 + (4 * dims.Length) + payloadBytes];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
        }

        for (int i = 0; i < payloadBytes; i++)
        {
            bytes[4 + (4 * dims.Length) + i] = (byte)(i * 7);
        }

        return bytes;
    }

    private string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = _dir.File(name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var gz = new GZipStream(file, CompressionLevel.Fastest);
            gz.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }

        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_ReadsDimensionsAndRowMajorPixels(bool gzip)
    {
        string path = Write("images", IdxBytes(0x08, [3, 2, 4], 24), gzip);

        IdxImages images = IdxFile.ReadImages(path);

        Assert.Equal((3, 2, 4), (images.Count, images.Height, images.Width));
        Assert.Equal(24, images.Pixels.Length);
        Assert.Equal((byte)(9 * 7), images.GetImage(1).Span[1]);
    }

    [Fact]
    public void ReadLabels_ReadsOneBytePerLabel()
    {
        string path = Write("labels.gz", IdxBytes(0x08, [5], 5), gzip: true);

        Assert.Equal(new byte[] { 0, 7, 14, 21, 28 }, IdxFile.ReadLabels(path));
    }

    [Fact]
    public void ReadImages_RejectsLabelFileWithDimensionCount()
    {
        string path = Write("labels", IdxBytes(0x08, [5], 5));

        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("expected 3 dimension(s)", ex.Message);
        Assert.Contains("got 1", ex.Message);
    }

    [Fact]
    public void ReadImages_RejectsNonByteElementType()
    {
        string path = Write("floats", IdxBytes(0x0D, [1, 1, 1], 4));

        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));

        Assert.Contains("expected element type 0x08 (unsigned byte), got 0x0D", ex.Message);
    }

    [Fact]
    public void ReadImages_RejectsBadMagic()
    {
        byte[] bytes = IdxBytes(0x08, [1, 1, 1], 1);
        bytes[0] = 0x50;
        string path = Write("bad", bytes);

        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));

        Assert.Contains("expected an IDX magic number starting with 00 00, got 50000803", ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_RejectsTruncatedPayload(bool gzip)
    {
        string path = Write("short", IdxBytes(0x08, [2, 3, 3], 17), gzip);

        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("expected 18 data bytes as declared by the header, got 17", ex.Message);
    }

    [Fact]
    public void ReadLabels_RejectsTrailingBytes()
    {
        string path = Write("long", IdxBytes(0x08, [2], 3));

        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.ReadLabels(path));

        Assert.Contains("trailing data", ex.Message);
    }

    [Fact]
    public void ReadLabels_RejectsTruncatedHeader()
    {
        string path = Write("header", IdxBytes(0x08, [2], 0)[..6]);

        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.ReadLabels(path));

        Assert.Contains("expected 4 bytes for dimension 0, got 2", ex.Message);
    }

    [Fact]
    public void ReadImages_RejectsNonPositiveAndOversizedDimensions()
    {
        string zero = Write("zero", IdxBytes(0x08, [0, 28, 28], 0));
        string huge = Write("huge", IdxBytes(0x08, [int.MaxValue, 28, 28], 0));

        Assert.Contains("expected dimension 0 to be positive, got 0", Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(zero)).Message);
        Assert.Contains("expected at most", Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(huge)).Message);
    }

    [Fact]
    public void ReadImages_MissingFileNamesPath()
    {
        string path = _dir.File("nope.gz");

        var ex = Assert.Throws<FileNotFoundException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void FashionMnist_LoadRaw_TestSplitHasTenThousandLabelledImages()
    {
        (IdxImages images, byte[] labels) = FashionMnist.LoadRaw(FashionMnistSplit.Test);

        Assert.Equal((10_000, 28, 28), (images.Count, images.Height, images.Width));
        Assert.Equal(10_000, labels.Length);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, labels.Count(l => l == c)));
        Assert.InRange(images.Pixels.Span.ToArray().Average(b => b), 60, 90);
    }

    [Fact]
    public void FashionMnist_LoadRaw_MissingDirectoryExplainsHowToInstall()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadRaw(FashionMnistSplit.Train, _dir.Path));

        Assert.Contains("dataset-fashion-mnist", ex.Message);
        Assert.Contains(_dir.Path, ex.Message);
    }
}
