using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using MLNetFlows.Models.Serialization;
using TorchSharp;

namespace MLNetFlows.Trainers.Tests;

/// <summary>
/// The one safetensors codec (MLNetFlows.Models' SafetensorsFile): the layout the specification prescribes, round trips
/// of every dtype with metadata, atomic writes, a file written by Python, and damaged files refused before any tensor
/// exists. Its users: Glow checkpoints (GlowCheckpointTests) and the weights inside saved models (Estimators tests).
/// </summary>
public sealed class SafetensorsFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static Dictionary<string, torch.Tensor> SampleTensors() => new(StringComparer.Ordinal)
    {
        // A channels-last weight: written contiguous (row-major), read back with the same values.
        ["conv.weight"] = torch.arange(24, dtype: torch.float32).reshape(2, 3, 2, 2).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2),
        ["f64"] = torch.tensor(new[] { 1.5, -2.25 }),
        ["f16"] = torch.tensor(new[] { 0.5f, -3f, 65504f }).to(torch.float16),
        ["bf16"] = torch.tensor(new[] { 1f, -0.125f }).to(torch.bfloat16),
        ["i64"] = torch.tensor(new[] { 7L, -9L, 1L << 40 }),
        ["i32"] = torch.tensor(new[] { int.MinValue, 4, int.MaxValue }),
        ["i16"] = torch.tensor(new short[] { short.MinValue, 2 }),
        ["i8"] = torch.tensor(new sbyte[] { -128, 127 }),
        ["u8"] = torch.tensor(new byte[] { 0, 255, 17 }),
        ["flag"] = torch.tensor(new[] { true, false }),
        ["empty"] = torch.zeros(0, 3),
    };

    private static void AssertSameTensors(IReadOnlyDictionary<string, torch.Tensor> expected, IReadOnlyDictionary<string, torch.Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal(tensor.dtype, actual[name].dtype);
            Assert.Equal(tensor.shape, actual[name].shape);
            Assert.True(tensor.eq(actual[name]).all().item<bool>(), $"'{name}' changed");
        }
    }

    [Fact]
    public void RoundTripKeepsNamesValuesDtypesShapesAndMetadata()
    {
        using var leaks = new LeakCheck();
        using var scope = torch.NewDisposeScope();
        var tensors = SampleTensors();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["progress"] = "{\"Step\":3}", ["note"] = "ünïcode <&>" };
        var path = _directory.File("state.safetensors");

        SafetensorsFile.WriteAtomically(path, tensors, metadata);
        using var fromFile = SafetensorsFile.Read(path);
        using var fromBytes = SafetensorsFile.Read(SafetensorsFile.ToBytes(tensors, metadata), "weights.safetensors");

        Assert.Equal(metadata, fromFile.Metadata);
        Assert.Equal(metadata, fromBytes.Metadata);
        AssertSameTensors(tensors, fromFile.Tensors);
        AssertSameTensors(tensors, fromBytes.Tensors);
        Assert.Equal(File.ReadAllBytes(path), SafetensorsFile.ToBytes(tensors, metadata)); // deterministic
    }

    [Fact]
    public void WritesTheHeaderTheSpecificationPrescribes()
    {
        using var leaks = new LeakCheck();
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, torch.Tensor> { ["b"] = torch.tensor(new[] { 7L }), ["a"] = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3) };

        var bytes = SafetensorsFile.ToBytes(tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var plain = SafetensorsFile.ToBytes(tensors);

        // Hand-checked: metadata first, names in ordinal order, offsets tiling the buffer, padded with spaces to 8 bytes.
        const string Json = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[24,32]}}";
        var headerLength = (Json.Length + 7) / 8 * 8;
        Assert.Equal((ulong)headerLength, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(Json.PadRight(headerLength), Encoding.UTF8.GetString(bytes, 8, headerLength));
        Assert.Equal(8 + headerLength + 32, bytes.Length);
        Assert.Equal(1f, BitConverter.ToSingle(bytes, 8 + headerLength));
        Assert.Equal(6f, BitConverter.ToSingle(bytes, 8 + headerLength + 20));
        Assert.Equal(7L, BitConverter.ToInt64(bytes, 8 + headerLength + 24));
        Assert.StartsWith("{\"a\":", Encoding.UTF8.GetString(plain, 8, 8), StringComparison.Ordinal); // no metadata, no "__metadata__"
    }

    [Fact]
    public void TheFileIsPlainSafetensorsThatOtherReadersUnderstand()
    {
        using var leaks = new LeakCheck();
        using var scope = torch.NewDisposeScope();
        var path = _directory.File("layout.safetensors");
        SafetensorsFile.WriteAtomically(path, SampleTensors(), new Dictionary<string, string> { ["version"] = "2" });

        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        Assert.Equal("2", header.RootElement.GetProperty("__metadata__").GetProperty("version").GetString());
        var entries = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").ToList();
        Assert.Equal(entries.Select(e => e.Name).Order(StringComparer.Ordinal), entries.Select(e => e.Name));
        long position = 0;
        foreach (var entry in entries)
        {
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            Assert.Equal(position, offsets[0]);
            position = offsets[1];
        }

        Assert.Equal(bytes.Length - 8 - headerLength, position);
        Assert.Equal(
            ["bf16 BF16", "conv.weight F32", "empty F32", "f16 F16", "f64 F64", "flag BOOL", "i16 I16", "i32 I32", "i64 I64", "i8 I8", "u8 U8"],
            entries.Select(e => $"{e.Name} {e.Value.GetProperty("dtype").GetString()}"));
        var conv = entries.Single(e => e.Name == "conv.weight").Value;
        var begin = 8 + headerLength + conv.GetProperty("data_offsets")[0].GetInt64();
        var values = Enumerable.Range(0, 24).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)begin + (4 * i)))).ToArray();
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (float)i), values); // row-major, whatever the strides in memory
    }

    [Fact]
    public void ReadsTheFileWrittenByThePythonFixtureScript()
    {
        using var leaks = new LeakCheck();

        using var fixture = SafetensorsFile.Read(OptimizerParityTests.FixturePath);

        Assert.Equal("make_optimizer_fixture.py", fixture.Metadata["generator"]);
        Assert.StartsWith("1.13", fixture.Metadata["torch"], StringComparison.Ordinal);
        Assert.Equal([5L, 4, 3], fixture.Tensors["adam.grads"].shape);
        Assert.Equal(torch.float32, fixture.Tensors["adam.grads"].dtype);
    }

    [Fact]
    public void MetadataKeysNamedLikeTensorFieldsAreOrdinaryMetadata()
    {
        using var leaks = new LeakCheck();
        using var scope = torch.NewDisposeScope();
        var metadata = new Dictionary<string, string> { ["dtype"] = "F32", ["shape"] = "[2]", ["data_offsets"] = "none" };

        using var read = SafetensorsFile.Read(SafetensorsFile.ToBytes(new Dictionary<string, torch.Tensor> { ["x"] = torch.ones(2) }, metadata), "entry");

        Assert.Equal(metadata, read.Metadata);
        Assert.Equal([2L], read.Tensors["x"].shape);
    }

    [Fact]
    public void AFailedWriteLeavesThePreviousFileAndNoTemporaryFile()
    {
        using var leaks = new LeakCheck();
        using var scope = torch.NewDisposeScope();
        var path = _directory.File("checkpoint.safetensors");
        SafetensorsFile.WriteAtomically(path, new Dictionary<string, torch.Tensor> { ["x"] = torch.ones(2) }, new Dictionary<string, string> { ["n"] = "1" });
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<NotSupportedException>(() => SafetensorsFile.WriteAtomically(path,
            new Dictionary<string, torch.Tensor> { ["x"] = torch.ones(2), ["y"] = torch.ones(2, dtype: torch.complex64) },
            new Dictionary<string, string> { ["n"] = "2" }));
        var reserved = Assert.Throws<ArgumentException>(() => SafetensorsFile.WriteAtomically(path, new Dictionary<string, torch.Tensor> { ["__metadata__"] = torch.ones(1) }));

        Assert.Equal("safetensors has no dtype for ComplexFloat32", error.Message);
        Assert.StartsWith("'__metadata__' is reserved and cannot name a tensor", reserved.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }

    public static TheoryData<string, byte[]> DamagedFiles()
    {
        static byte[] File(string header, int dataBytes, ulong? declaredLength = null)
        {
            var json = Encoding.UTF8.GetBytes(header);
            var bytes = new byte[8 + json.Length + dataBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)json.Length);
            json.CopyTo(bytes, 8);
            return bytes;
        }

        static string Tensor(string name, string dtype, string shape, long begin, long end) =>
            $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

        return new()
        {
            { "expected at least 8 bytes for the header length, got 3", [1, 2, 3] },
            { "header length 5000 exceeds the file (2 bytes after the length) or the limit 100000000", File("{}", 0, 5000) },
            { "header length 18446744073709551615 exceeds the file (8 bytes after the length) or the limit 100000000", File("{\"x\": 1}", 0, ulong.MaxValue) },
            { "the header is not valid JSON", File("{\"x\":", 0) },
            { "the header must be a JSON object", File("[1]", 0) },
            { "tensor 'x' must have a string 'dtype', an array 'shape' and a two-element array 'data_offsets'", File("{\"x\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4) },
            { "tensor 'x' has dtype 'F128', expected one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL", File($"{{{Tensor("x", "F128", "[1]", 0, 16)}}}", 16) },
            { "tensor 'x' has dtype 'U16', expected one of", File($"{{{Tensor("x", "U16", "[1]", 0, 2)}}}", 2) },
            { "tensor 'x' has an invalid shape entry -1", File($"{{{Tensor("x", "F32", "[-1]", 0, 4)}}}", 4) },
            { "tensor 'x' has an invalid shape entry 1.5", File($"{{{Tensor("x", "F32", "[1.5]", 0, 4)}}}", 4) },
            { "tensor 'x' of shape [4611686018427387904, 4] is too large", File($"{{{Tensor("x", "F32", "[4611686018427387904,4]", 0, 4)}}}", 4) },
            { "tensor 'x' has invalid data_offsets [8, 4]", File($"{{{Tensor("x", "F32", "[1]", 8, 4)}}}", 8) },
            { "tensor 'x' of shape [2] F32 needs 8 bytes, but its data_offsets span 4", File($"{{{Tensor("x", "F32", "[2]", 0, 4)}}}", 4) },
            { "tensor 'y' starts at byte 0, expected 4: offsets overlap or leave a gap", File($"{{{Tensor("x", "F32", "[1]", 0, 4)},{Tensor("y", "F32", "[1]", 0, 4)}}}", 8) },
            { "tensor 'y' starts at byte 8, expected 4: offsets overlap or leave a gap", File($"{{{Tensor("x", "F32", "[1]", 0, 4)},{Tensor("y", "F32", "[1]", 8, 12)}}}", 12) },
            { "the tensors cover 4 bytes but the data buffer holds 2", File($"{{{Tensor("x", "F32", "[1]", 0, 4)}}}", 2) },
            { "the tensors cover 4 bytes but the data buffer holds 12", File($"{{{Tensor("x", "F32", "[1]", 0, 4)}}}", 12) },
            { "the tensors cover 80 bytes but the data buffer holds 8", File($"{{{Tensor("x", "F32", "[20]", 0, 80)}}}", 8) },
            { "'x' appears twice in the header", File($"{{{Tensor("x", "F32", "[1]", 0, 4)},{Tensor("x", "F32", "[1]", 4, 8)}}}", 8) },
            { "tensor 'x' holds 8589934592 bytes, more than the 2147483647 one tensor may hold here", File($"{{{Tensor("x", "U8", "[8589934592]", 0, 8589934592)}}}", 0) },
            { "'__metadata__' must be an object of strings", File("{\"__metadata__\":[\"a\"]}", 0) },
            { "metadata 'version' must be a string, got Number", File("{\"__metadata__\":{\"version\":2}}", 0) },
        };
    }

    [Theory]
    [MemberData(nameof(DamagedFiles))]
    public void DamagedFilesAreRefusedBeforeAnyTensorIsCreated(string reason, byte[] content)
    {
        var path = _directory.File("damaged.safetensors");
        File.WriteAllBytes(path, content);
        using var leaks = new LeakCheck();

        var fromFile = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
        var fromBytes = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(content, "weights.safetensors"));

        Assert.StartsWith($"'{path}' is not a valid safetensors file: {reason}", fromFile.Message, StringComparison.Ordinal);
        Assert.StartsWith($"'weights.safetensors' is not a valid safetensors file: {reason}", fromBytes.Message, StringComparison.Ordinal);
    }
}
