using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MLNetFlows.Transforms.Image.Decoding;

namespace MLNetFlows.Transforms.Tests.Image;

/// <summary>Structural faults beyond the committed corpus, made by editing valid files.</summary>
public sealed class StructureCheckTests
{
    private const long Limit = 100_000_000;

    private static byte[] Valid(string name) => File.ReadAllBytes(Path.Combine(Corpus.Valid, name));

    private static string Refusal(byte[] data) => Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(data, Limit)).Message;

    private static byte[] Chunk(string type, byte[] body, bool goodCrc = true)
    {
        byte[] typeAndBody = [.. Encoding.ASCII.GetBytes(type), .. body];
        var chunk = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)body.Length);
        typeAndBody.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + body.Length), PngChecksums.Crc32(typeAndBody) ^ (goodCrc ? 0u : 1u));
        return chunk;
    }

    /// <summary>A 2 × 2 gray PNG: IHDR, the given chunks in place of the image data, IEND.</summary>
    private static byte[] GrayPng(params byte[][] middle)
    {
        byte[] ihdr = [0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0];
        return [.. PngStructure.Signature, .. Chunk("IHDR", ihdr), .. middle.SelectMany(c => c), .. Chunk("IEND", [])];
    }

    private static byte[] Zlib(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(raw);
        }

        return output.ToArray();
    }

    private static readonly byte[] TwoRows = [0, 10, 20, 0, 30, 40];

    [Fact]
    public void Png_HandMadeReference_Decodes()
    {
        DecodedImage image = ImageDecoder.Decode(GrayPng(Chunk("IDAT", Zlib(TwoRows))), Limit);

        Assert.Equal(new byte[] { 10, 10, 10, 255, 20, 20, 20, 255, 30, 30, 30, 255, 40, 40, 40, 255 }, image.Pixels);
    }

    [Fact]
    public void Png_ImageDataSplitOverConsecutiveIdats_Decodes()
    {
        byte[] z = Zlib(TwoRows);

        Assert.Equal(2, ImageDecoder.Decode(GrayPng(Chunk("IDAT", z[..5]), Chunk("IDAT", z[5..])), Limit).Height);
    }

    [Fact]
    public void Png_UnknownCriticalChunk_IsRefused() =>
        Assert.Contains("ABCD: unknown critical chunk", Refusal(GrayPng(Chunk("ABCD", [1]), Chunk("IDAT", Zlib(TwoRows)))), StringComparison.Ordinal);

    [Fact]
    public void Png_UnknownAncillaryChunk_IsSkipped() =>
        Assert.Equal(2, ImageDecoder.Decode(GrayPng(Chunk("abCd", [1]), Chunk("IDAT", Zlib(TwoRows))), Limit).Width);

    [Fact]
    public void Png_IdatsInterruptedByAnotherChunk_AreRefused()
    {
        byte[] z = Zlib(TwoRows);

        Assert.Contains("IDAT: not consecutive", Refusal(GrayPng(Chunk("IDAT", z[..5]), Chunk("tEXt", [65, 0, 66]), Chunk("IDAT", z[5..]))), StringComparison.Ordinal);
    }

    [Fact]
    public void Png_MoreImageDataThanTheHeaderDeclares_IsRefused() =>
        Assert.Contains("IDAT: too much image data", Refusal(GrayPng(Chunk("IDAT", Zlib([.. TwoRows, 0, 50, 60])))), StringComparison.Ordinal);

    [Fact]
    public void Png_DamagedAncillaryChunkBeforeIhdr_IsRefusedAsMissingIhdr()
    {
        byte[] png = GrayPng(Chunk("IDAT", Zlib(TwoRows)));
        byte[] moved = [.. PngStructure.Signature, .. Chunk("tEXt", [65, 0, 66], goodCrc: false), .. png[8..]];

        Assert.Contains("tEXt: missing IHDR", Refusal(moved), StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_RestartMarkerMissing_IsRefused()
    {
        byte[] jpeg = Valid("yuv420_restart.jpg");
        int rst = IndexOfMarker(jpeg, 0xD0);

        Assert.Contains("Corrupt JPEG data: found entropy-coded data instead of RST0", Refusal([.. jpeg[..rst], .. jpeg[(rst + 2)..]]), StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_RestartMarkerOutOfSequence_IsRefused()
    {
        byte[] jpeg = Valid("yuv420_restart.jpg");
        jpeg[IndexOfMarker(jpeg, 0xD0) + 1] = 0xD1;

        Assert.Contains("Corrupt JPEG data: found marker 0xD1 instead of RST0 (scan 1, MCU 3 of 12)", Refusal(jpeg), StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_DataLeftAfterTheLastMcu_IsRefused()
    {
        byte[] jpeg = Valid("yuv420.jpg");
        int eoi = IndexOfMarker(jpeg, 0xD9);

        Assert.Contains("Corrupt JPEG data: 3 extraneous bytes before marker 0xD9", Refusal([.. jpeg[..eoi], 1, 2, 3, .. jpeg[eoi..]]), StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_ScanOfOneComponentMissing_IsRefused()
    {
        byte[] jpeg = Valid("yuv420_scans.jpg");
        int lastScan = LastIndexOfMarker(jpeg, 0xDA), eoi = IndexOfMarker(jpeg, 0xD9);

        Assert.Contains("Premature end of JPEG file: EOI after scans of 2 of the 3 components", Refusal([.. jpeg[..lastScan], .. jpeg[eoi..]]), StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_TwoFrameHeaders_AreRefused()
    {
        byte[] jpeg = Valid("yuv420.jpg");
        int sof = IndexOfMarker(jpeg, 0xC0), length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(sof + 2));

        Assert.Contains("two SOF markers", Refusal([.. jpeg[..(sof + 2 + length)], .. jpeg[sof..]]), StringComparison.Ordinal);
    }

    private static int IndexOfMarker(byte[] data, byte marker) => data.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, marker]);

    private static int LastIndexOfMarker(byte[] data, byte marker) => data.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0xFF, marker]);
}
