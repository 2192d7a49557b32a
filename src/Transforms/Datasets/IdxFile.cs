using System.Buffers.Binary;
using System.IO.Compression;

namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// Reader for the IDX format of the MNIST family of datasets (LeCun et al.), plain or gzip-compressed.
/// </summary>
/// <remarks>
/// Layout: a 4-byte magic number <c>00 00 TT NN</c> (TT = element type, 0x08 for unsigned bytes; NN = number of
/// dimensions), then NN big-endian 32-bit dimension sizes, then the elements. Image files have 3 dimensions
/// (count, rows, columns), label files 1. The reader validates the magic number, the element type, the number
/// of dimensions, that the dimensions are positive and fit in memory, and that the file holds exactly as many
/// element bytes as declared; every error is an <see cref="InvalidDataException"/> naming the file.
/// Gzip compression is detected from the content (magic bytes 1F 8B), not from the file name.
/// </remarks>
public static class IdxFile
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an IDX3 file of unsigned-byte images (e.g. <c>train-images-idx3-ubyte.gz</c>).</summary>
    /// <param name="path">The file path (plain or gzip).</param>
    /// <returns>The images.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX3 unsigned-byte file.</exception>
    public static IdxImages ReadImages(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenDecompressed(path);
        int[] dims = ReadHeader(stream, path, expectedDimensions: 3);
        long total = (long)dims[0] * dims[1] * dims[2];
        byte[] pixels = ReadPayload(stream, path, total);
        return new IdxImages(dims[0], dims[1], dims[2], pixels);
    }

    /// <summary>Reads an IDX1 file of unsigned-byte labels (e.g. <c>train-labels-idx1-ubyte.gz</c>).</summary>
    /// <param name="path">The file path (plain or gzip).</param>
    /// <returns>One byte per label.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX1 unsigned-byte file.</exception>
    public static byte[] ReadLabels(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenDecompressed(path);
        int[] dims = ReadHeader(stream, path, expectedDimensions: 1);
        return ReadPayload(stream, path, dims[0]);
    }

    private static Stream OpenDecompressed(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (read == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            return new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
        }

        return file;
    }

    private static int[] ReadHeader(Stream stream, string path, int expectedDimensions)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(stream, magic, path, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw Invalid(path, $"expected an IDX magic number starting with 00 00, got {Convert.ToHexString(magic)}");
        }

        if (magic[2] != UnsignedByteType)
        {
            throw Invalid(path, $"expected element type 0x08 (unsigned byte), got 0x{magic[2]:X2}");
        }

        if (magic[3] != expectedDimensions)
        {
            throw Invalid(path, $"expected {expectedDimensions} dimension(s) (magic 0x{0x0800 + expectedDimensions:X8}), got {magic[3]} (magic 0x{Convert.ToHexString(magic)})");
        }

        var dims = new int[expectedDimensions];
        Span<byte> word = stackalloc byte[4];
        long product = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            ReadExactly(stream, word, path, $"dimension {i}");
            int size = BinaryPrimitives.ReadInt32BigEndian(word);
            if (size <= 0)
            {
                throw Invalid(path, $"expected dimension {i} to be positive, got {size}");
            }

            dims[i] = size;
            product *= size;
            if (product > Array.MaxLength)
            {
                throw Invalid(path, $"expected at most {Array.MaxLength} elements, got a header declaring {string.Join(" × ", dims.Take(i + 1))} or more");
            }
        }

        return dims;
    }

    private static byte[] ReadPayload(Stream stream, string path, long count)
    {
        var data = new byte[count];
        int read;
        try
        {
            read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw Invalid(path, "the gzip stream is corrupt: " + ex.Message);
        }

        if (read < data.Length)
        {
            throw Invalid(path, $"expected {data.Length} data bytes as declared by the header, got {read} (the file is truncated)");
        }

        if (stream.ReadByte() >= 0)
        {
            throw Invalid(path, $"expected {data.Length} data bytes as declared by the header, got more (trailing data after the last element)");
        }

        return data;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        int read;
        try
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw Invalid(path, "the gzip stream is corrupt: " + ex.Message);
        }

        if (read < buffer.Length)
        {
            throw Invalid(path, $"expected {buffer.Length} bytes for {what}, got {read} (the file is truncated)");
        }
    }

    private static InvalidDataException Invalid(string path, string detail) =>
        new($"'{path}' is not a valid IDX file: {detail}.");
}
