using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Models.Glow;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Tests;

/// <summary>
/// Fixtures/glow_parity.safetensors read through TorchSharp.PyBridge. PyBridge loads safetensors only into a module
/// whose state names match (<c>load_safetensors</c>) and drops the file's <c>__metadata__</c>; so the weights of model
/// "a"/"b" load into a container holding the <see cref="GlowModel"/> under that name, the recorded data ("a.x",
/// "a.log_density", ...) into a container of buffers shaped from the file's header, and the architecture JSON is read
/// from the header here (the safetensors header is 8 bytes of little-endian length, then JSON).
/// </summary>
internal sealed class ParityFixture : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly nn.Module _weights;
    private readonly nn.Module _data;

    private ParityFixture(string path, string prefix)
    {
        var header = ReadHeader(path);
        var metadata = header["__metadata__"].Deserialize<Dictionary<string, string>>()!;
        Architecture = JsonSerializer.Deserialize<GlowArchitecture>(metadata[$"{prefix}.architecture"], Json)
            ?? throw new InvalidDataException($"no {prefix}.architecture in '{path}'");
        Model = new GlowModel(Architecture);
        var weights = _weights = new Container(new Dictionary<string, nn.Module> { [prefix] = Model }, []);
        var weightNames = weights.state_dict().Keys.ToHashSet(StringComparer.Ordinal);
        var dataNames = header.Keys.Where(k => k.StartsWith(prefix + ".", StringComparison.Ordinal) && !weightNames.Contains(k)).ToArray();
        var buffers = dataNames.ToDictionary(
            k => k[(prefix.Length + 1)..],
            k => empty(header[k].GetProperty("shape").Deserialize<long[]>()!, header[k].GetProperty("dtype").GetString() == "F64" ? ScalarType.Float64 : ScalarType.Float32).DetachFromDisposeScope());
        var values = new Container([], buffers);
        _data = new Container(new Dictionary<string, nn.Module> { [prefix] = values }, []);

        var loadedWeights = new Dictionary<string, bool>(StringComparer.Ordinal);
        var loadedData = new Dictionary<string, bool>(StringComparer.Ordinal);
        weights.load_safetensors(path, strict: false, loadedParameters: loadedWeights);
        _data.load_safetensors(path, strict: false, loadedParameters: loadedData);
        var loaded = loadedWeights.Concat(loadedData).Where(p => p.Value).Select(p => p.Key);

        // Strict in effect: every C# state name is in the file, and every name of this model in the file is either a
        // C# state name or recorded data.
        var ofThisModel = header.Keys.Where(k => k.StartsWith(prefix + ".", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(ofThisModel.Order(StringComparer.Ordinal), loaded.Where(k => k.StartsWith(prefix + ".", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Subset(ofThisModel, weightNames);
        Data = buffers;
        Model.eval();
    }

    /// <summary>The architecture recorded in the file's metadata.</summary>
    public GlowArchitecture Architecture { get; }

    /// <summary>The Glow with the fixture's weights, in evaluation mode.</summary>
    public GlowModel Model { get; }

    /// <summary>Recorded tensors by name without the prefix ("x", "log_density", "latent_f64", ...).</summary>
    public IReadOnlyDictionary<string, Tensor> Data { get; }

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "glow_parity.safetensors");

    /// <summary>Loads model <paramref name="prefix"/> ("a" or "b") with its recorded data.</summary>
    public static ParityFixture Load(string prefix) => new(FilePath, prefix);

    public void Dispose()
    {
        _weights.Dispose(); // with the model
        _data.Dispose(); // with the recorded tensors
    }

    private static Dictionary<string, JsonElement> ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> length = stackalloc byte[8];
        stream.ReadExactly(length);
        var json = new byte[checked((int)BinaryPrimitives.ReadUInt64LittleEndian(length))];
        stream.ReadExactly(json);
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
    }

    /// <summary>A module that only names its children and buffers, so their state names get the wanted prefixes.</summary>
    private sealed class Container : nn.Module
    {
        public Container(Dictionary<string, nn.Module> children, Dictionary<string, Tensor> buffers)
            : base(nameof(Container))
        {
            foreach (var (name, child) in children)
            {
                register_module(name, child);
            }

            foreach (var (name, buffer) in buffers)
            {
                register_buffer(name, buffer);
            }
        }
    }
}
