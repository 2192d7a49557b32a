using System.Buffers.Binary;
using System.IO.Compression;

namespace MLNetFlows.Bench;

/// <summary>The first images of Debian's dataset-fashion-mnist training set (IDX, gzip), as bytes [N·28·28].</summary>
internal static class FashionMnistImages
{
    public const string DefaultPath = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
    private const int ImageMagic = 2051;

    public static byte[] Load(int count, string path = DefaultPath)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' not found: install Debian's dataset-fashion-mnist package", path);
        }

        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[16];
        stream.ReadExactly(header);
        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        var available = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        var rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        var columns = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        if (magic != ImageMagic || rows != 28 || columns != 28)
        {
            throw new InvalidDataException($"'{path}' is not an IDX file of 28×28 images (magic {magic}, {rows}×{columns})");
        }

        var pixels = new byte[Math.Min(count, available) * 28 * 28];
        stream.ReadExactly(pixels);
        return pixels;
    }
}
