using System.Buffers.Binary;
using System.Text;
using MLNetFlows.Torch;
using MLNetFlows.Torch.Serialization;

namespace MLNetFlows.Torch.Tests;

/// <summary>The safetensors format, checked byte by byte against the specification.</summary>
public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnf-st-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void WritesTheHeaderTheSpecificationPrescribes()
    {
        using var a = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        using var b = Tensor.FromArray(new long[] { 7 }, 1);
        using var stream = new MemoryStream();

        SafeTensors.Write(stream, new Dictionary<string, Tensor> { ["b"] = b, ["a"] = a }, new Dictionary<string, string> { ["format"] = "pt" });
        var bytes = stream.ToArray();

        // Hand-checked: names in ordinal order, offsets tile the buffer, metadata first, padded to 8 bytes.
        const string Json = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[24,32]}}";
        var headerLength = (Json.Length + 7) / 8 * 8;
        Assert.Equal((ulong)headerLength, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(Json.PadRight(headerLength), Encoding.UTF8.GetString(bytes, 8, headerLength));
        Assert.Equal(8 + headerLength + 32, bytes.Length);
        Assert.Equal(1f, BitConverter.ToSingle(bytes, 8 + headerLength));
        Assert.Equal(6f, BitConverter.ToSingle(bytes, 8 + headerLength + 20));
        Assert.Equal(7L, BitConverter.ToInt64(bytes, 8 + headerLength + 24));
    }

    [Fact]
    public void RoundTripsEveryDTypeThroughAFile()
    {
        using var leaks = new LeakCheck();
        var path = Path.Combine(_directory, "all.safetensors");
        using var f32 = Tensor.FromArray(new float[] { 1.5f, -2 }, 2);
        using var f64 = Tensor.FromArray(new[] { Math.PI }, 1, 1);
        using var i64 = Tensor.FromArray(new long[] { long.MaxValue, -1 }, 2);
        using var i32 = Tensor.FromArray(new[] { 3, 4, 5 }, 3);
        using var u8 = Tensor.FromArray(new byte[] { 0, 255 }, 2);
        using var flags = Tensor.FromArray(new[] { true, false }, 2);
        using var empty = Tensor.Zeros([0, 4]);

        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["f32"] = f32, ["f64"] = f64, ["i64"] = i64, ["i32"] = i32, ["u8"] = u8, ["bool"] = flags, ["empty"] = empty });
        using var loaded = SafeTensors.Load(path);

        Assert.Equal(f32.ToArray<float>(), loaded.Tensors["f32"].ToArray<float>());
        Assert.Equal(new long[] { 1, 1 }, loaded.Tensors["f64"].Shape.ToArray());
        Assert.Equal(Math.PI, loaded.Tensors["f64"].ToArray<double>()[0]);
        Assert.Equal(i64.ToArray<long>(), loaded.Tensors["i64"].ToArray<long>());
        Assert.Equal(i32.ToArray<int>(), loaded.Tensors["i32"].ToArray<int>());
        Assert.Equal(u8.ToArray<byte>(), loaded.Tensors["u8"].ToArray<byte>());
        Assert.Equal(flags.ToArray<bool>(), loaded.Tensors["bool"].ToArray<bool>());
        Assert.Equal(new long[] { 0, 4 }, loaded.Tensors["empty"].Shape.ToArray());
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    public static TheoryData<string, byte[]> Malformed()
    {
        static byte[] File(string json, int dataBytes)
        {
            var header = Encoding.UTF8.GetBytes(json);
            var bytes = new byte[8 + header.Length + dataBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
            header.CopyTo(bytes, 8);
            return bytes;
        }

        var hugeLength = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(hugeLength, ulong.MaxValue);
        return new TheoryData<string, byte[]>
        {
            { "expected at least 8 bytes for the header length, got 3", new byte[3] },
            { "header length 18446744073709551615 exceeds the file", hugeLength },
            { "the header is not valid JSON", File("{\"a\": ", 0) },
            { "the header must be a JSON object", File("[1, 2]", 0) },
            { "tensor 'a' has unsupported dtype 'F8'", File("{\"a\":{\"dtype\":\"F8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1) },
            { "tensor 'a' of shape [2] F32 needs 8 bytes, but its data_offsets span 4", File("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4) },
            { "tensor 'a' has an invalid shape entry -1", File("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4) },
            { "tensor 'b' starts at byte 0, expected 4: offsets overlap or leave a gap", File("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8) },
            { "the tensors cover 4 bytes but the data buffer holds 12", File("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12) },
            { "tensor 'a' must have a string 'dtype', an array 'shape' and a two-element array 'data_offsets'", File("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4) },
            { "metadata 'x' must be a string, got Number", File("{\"__metadata__\":{\"x\":1}}", 0) },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RejectsMalformedFilesWithAClearMessage(string expected, byte[] bytes)
    {
        using var leaks = new LeakCheck();
        var path = Path.Combine(_directory, "bad.safetensors");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));

        Assert.StartsWith($"'{path}' is not a valid safetensors file: {expected}", error.Message);
    }

    [Fact]
    public void ReadsTheFixtureWrittenByThePythonScript()
    {
        using var fixtures = Fixtures.Load();

        Assert.Equal("make_parity_fixtures.py", fixtures.Metadata["generator"]);
        Assert.StartsWith("1.13", fixtures.Metadata["torch"]);
        Assert.Equal(new long[] { 2, 3, 8, 8 }, fixtures.Tensors["conv2d.x"].Shape.ToArray());
    }
}
