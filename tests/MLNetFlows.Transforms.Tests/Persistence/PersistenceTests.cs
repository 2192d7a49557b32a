using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Transforms.Tests.Persistence;

/// <summary>
/// The persistence adapter on ML.NET's own Model.Save/Load: the saved layout (ML.NET's header, our manifest, entries
/// checked by size and SHA-256), registration, and damaged components refused with their problem before use.
/// </summary>
public sealed class PersistenceTests : IDisposable
{
    private static readonly byte[] Payload = [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))];
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void AComponentIsSavedAsAManifestBesideItsEntries()
    {
        var path = SavedModel();

        var manifest = JsonNode.Parse(ModelFiles.Read(path, "TransformerChain/manifest.json"))!;

        Assert.Contains("TransformerChain/Model.key", ModelFiles.EntryNames(path));
        Assert.Equal("mlnetflows.transformer", (string?)manifest["format"]);
        Assert.Equal(1, (int?)manifest["formatVersion"]);
        Assert.Equal("MLNetFlowsTestPayload", (string?)manifest["kind"]);
        Assert.Equal("toy", (string?)manifest["parameters"]!["label"]);
        Assert.Equal(300, (int?)manifest["parameters"]!["count"]);
        Assert.Equal("payload.bin", (string?)manifest["entries"]![0]!["name"]);
        Assert.Equal(300, (long?)manifest["entries"]![0]!["bytes"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Payload)), (string?)manifest["entries"]![0]!["sha256"]);
        Assert.Equal(Payload, ModelFiles.Read(path, "TransformerChain/payload.bin"));
    }

    [Fact]
    public void LoadingNeedsTheLoaderRegisteredAndOneCallDoesIt()
    {
        var path = SavedModel();
        var unregistered = new MLContext();

        Assert.ThrowsAny<Exception>(() => unregistered.Model.Load(path, out _));
        PayloadTransformer.Register(unregistered.ComponentCatalog);
        PayloadTransformer.Register(unregistered.ComponentCatalog); // registering again is harmless
        var loaded = Assert.IsType<PayloadTransformer>(unregistered.Model.Load(path, out _));

        Assert.Equal("toy", loaded.Label);
        Assert.Equal(Payload, loaded.Payload);
    }

    [Fact]
    public void AChainWithMLNetTransformsAroundOursLoadsInAFreshContextWithIdenticalOutput()
    {
        var ml = new MLContext(2);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new Row { X = i, Y = -i }));
        var chain = ml.Transforms.CopyColumns("Z", "X")
            .Append(new FixedEstimator(new PayloadTransformer("middle", Payload)))
            .Append(ml.Transforms.Concatenate("Both", "X", "Y"))
            .Fit(data);
        var path = _directory.File("chain.zip");
        ml.Model.Save(chain, data.Schema, path);

        var loaded = Assert.IsType<TransformerChain<ITransformer>>(FreshContext().Model.Load(path, out var schema), exactMatch: false);

        SchemaComparer.AssertSameColumns(data.Schema, schema!, "loaded input schema");
        DataViewComparer.AssertEqual(chain.Transform(data), loaded.Transform(data), "fresh context");
        var payload = Assert.Single(loaded.OfType<PayloadTransformer>());
        Assert.Equal("middle", payload.Label);
        Assert.Equal(Payload, payload.Payload);
    }

    [Fact]
    public void AnAlteredEntryIsRefusedBeforeUse()
    {
        var path = SavedModel();
        ModelFiles.Rewrite(path, "TransformerChain/payload.bin", bytes =>
        {
            bytes[^1] ^= 0x40;
            return bytes;
        });

        var error = ModelFiles.LoadError(FreshContext(), path);

        Assert.Equal("the MLNetFlows component 'MLNetFlowsTestPayload' at 'TransformerChain' of the model file is invalid: the entry 'payload.bin' does not match its SHA-256 in the manifest (the file is corrupt or was altered)", error.Message);
    }

    [Fact]
    public void AnEntryOfAnotherSizeIsRefusedBeforeItsHashIsComputed()
    {
        var path = SavedModel();
        ModelFiles.Rewrite(path, "TransformerChain/payload.bin", bytes => bytes[..100]);

        var error = ModelFiles.LoadError(FreshContext(), path);

        Assert.EndsWith("is invalid: the entry 'payload.bin' is not the 300 bytes the manifest declares", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"formatVersion\": 1", "\"formatVersion\": 2", "has format version 2; this library reads versions 1 to 1")]
    [InlineData("\"format\": \"mlnetflows.transformer\"", "\"format\": \"other\"", "'manifest.json' has format 'other', expected 'mlnetflows.transformer'")]
    [InlineData("\"count\": 300", "\"count\": -1", "parameter 'count' is -1, expected an integer in [0, 2147483647]")]
    [InlineData("\"label\": \"toy\"", "\"label\": 5", "parameter 'label' is 5, expected text")]
    [InlineData("\"label\": \"toy\",", "", "parameter 'label' is missing or not a single value")]
    [InlineData("\"kind\": \"MLNetFlowsTestPayload\"", "\"kind\": \"Other\"", "the manifest names kind 'Other', expected 'MLNetFlowsTestPayload'")]
    [InlineData("\"name\": \"payload.bin\"", "\"name\": \"../payload.bin\"", "'manifest.json' lists an invalid entry")]
    [InlineData("\"name\": \"payload.bin\"", "\"name\": \"other.bin\"", "the manifest lists no entry 'payload.bin'")]
    [InlineData("{", "[", "'manifest.json' is not valid JSON")]
    public void AnInvalidManifestIsRefusedWithItsProblem(string original, string altered, string problem)
    {
        var path = SavedModel();
        ModelFiles.Rewrite(path, "TransformerChain/manifest.json", bytes =>
        {
            var text = Encoding.UTF8.GetString(bytes);
            Assert.Contains(original, text, StringComparison.Ordinal);
            var index = text.IndexOf(original, StringComparison.Ordinal);
            return Encoding.UTF8.GetBytes(text[..index] + altered + text[(index + original.Length)..]);
        });

        var error = ModelFiles.LoadError(FreshContext(), path);

        Assert.StartsWith("the MLNetFlows component 'MLNetFlowsTestPayload' at 'TransformerChain' of the model file is invalid: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    private static MLContext FreshContext()
    {
        var ml = new MLContext(seed: 1);
        PayloadTransformer.Register(ml.ComponentCatalog);
        return ml;
    }

    private string SavedModel()
    {
        var ml = new MLContext(1);
        var path = _directory.File($"model-{Guid.NewGuid():N}.zip");
        ml.Model.Save(new PayloadTransformer("toy", Payload), ml.Data.LoadFromEnumerable(new[] { new Row() }).Schema, path);
        return path;
    }

    private sealed class Row
    {
        public float X { get; set; }

        public float Y { get; set; }
    }

    /// <summary>An estimator that "fits" a given transformer, to put one in an ML.NET chain.</summary>
    private sealed class FixedEstimator(PayloadTransformer transformer) : IEstimator<PayloadTransformer>
    {
        public PayloadTransformer Fit(IDataView input) => transformer;

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => inputSchema;
    }
}
