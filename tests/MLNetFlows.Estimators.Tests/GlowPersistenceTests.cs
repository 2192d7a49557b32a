using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Persistence;
using TorchSharp;
using TorchSharp.PyBridge;

namespace MLNetFlows.Estimators.Tests;

/// <summary>
/// What a saved Glow model holds: weights in safetensors that another reader loads as the model's state dict, and
/// damaged weights refused on loading with the problem named, before any weight is used.
/// </summary>
public sealed class GlowPersistenceTests : IDisposable
{
    private const string WeightsEntry = "TransformerChain/weights.safetensors";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TheWeightsAreSafetensorsThatAnotherReaderLoadsAsTheModelsStateDict()
    {
        var (model, path) = SavedModel();
        using (model)
        {
            var bytes = Read(path, WeightsEntry);
            var headerLength = (int)BitConverter.ToUInt64(bytes);
            var metadata = JsonNode.Parse(bytes.AsSpan(8, headerLength))!["__metadata__"]!;
            using var scope = torch.NewDisposeScope();

            var stored = Safetensors.LoadStateDict(new MemoryStream(bytes)); // TorchSharp.PyBridge's reader, not ours
            var live = model.Model.state_dict();

            Assert.Equal(("pt", "glow"), ((string?)metadata["format"], (string?)metadata["mlnetflows.model"]));
            Assert.Equal(live.Keys.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
            Assert.All(live, p =>
            {
                Assert.Equal(p.Value.dtype, stored[p.Key].dtype);
                Assert.Equal(p.Value.shape, stored[p.Key].shape);
                Assert.True(p.Value.cpu().eq(stored[p.Key]).all().item<bool>(), $"'{p.Key}' differs");
            });
        }
    }

    [Fact]
    public void WeightsOfAnotherShapeAreRefusedNamingTheTensor()
    {
        var (model, path) = SavedModel();
        model.Dispose();
        string name;
        using (var scope = torch.NewDisposeScope())
        {
            var stored = Safetensors.LoadStateDict(new MemoryStream(Read(path, WeightsEntry)));
            name = stored.Keys.Where(k => stored[k].dtype == torch.float32).Order(StringComparer.Ordinal).First();
            stored[name] = torch.zeros(3, 2);
            using var replacement = new MemoryStream();
            Safetensors.SaveStateDict(replacement, stored, leaveOpen: true);
            ReplaceWeights(path, replacement.ToArray());
        }

        var error = LoadError(path);

        Assert.StartsWith($"the MLNetFlows component 'MLNetFlowsGlow' at 'TransformerChain' of the model file is invalid: the weights in 'weights.safetensors' do not fit the architecture: '{name}' is Float32 [3, 2], expected Float32 [", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CutShortWeightsAreRefusedByTheSafetensorsCheck()
    {
        var (model, path) = SavedModel();
        model.Dispose();
        var bytes = Read(path, WeightsEntry);
        ReplaceWeights(path, bytes[..^4]);

        var error = LoadError(path);

        Assert.StartsWith("the MLNetFlows component 'MLNetFlowsGlow' at 'TransformerChain' of the model file is invalid: 'weights.safetensors' is not a valid safetensors file: the tensors cover ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"bytes but the data buffer holds {bytes.Length - 8 - (long)BitConverter.ToUInt64(bytes) - 4}", error.Message, StringComparison.Ordinal);
    }

    private (GlowTransformer Model, string Path) SavedModel()
    {
        var ml = new MLContext(1);
        var data = FashionMnistRows.View(ml, FashionMnistRows.Load(32));
        var options = GlowTrainerTests.Tiny();
        options.NumberOfEpochs = 1;
        options.ValidationFraction = 0;
        var model = ml.Transforms.Glow(options).Fit(data);
        var path = _directory.File($"{Guid.NewGuid():N}.zip");
        ml.Model.Save(model, data.Schema, path);
        return (model, path);
    }

    private static ModelFormatException LoadError(string path)
    {
        var error = Record.Exception(() => GlowTrainerTests.FreshContext().Model.Load(path, out _));
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is ModelFormatException format)
            {
                return format;
            }
        }

        throw new Xunit.Sdk.XunitException($"expected a ModelFormatException inside the load error, got {error?.ToString() ?? "no error"}");
    }

    private static byte[] Read(string path, string entry)
    {
        using var zip = ZipFile.OpenRead(path);
        return Read(zip, entry);
    }

    private static byte[] Read(ZipArchive zip, string entry)
    {
        using var stream = zip.GetEntry(entry)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Puts <paramref name="weights"/> in the model and updates the manifest's size and SHA-256, so only the safetensors checks can object.</summary>
    private static void ReplaceWeights(string path, byte[] weights)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var manifest = JsonNode.Parse(Read(zip, "TransformerChain/manifest.json"))!;
        var entry = manifest["entries"]!.AsArray().Single(e => (string?)e!["name"] == "weights.safetensors")!;
        entry["bytes"] = weights.LongLength;
        entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(weights));
        Write(zip, "TransformerChain/manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        Write(zip, WeightsEntry, weights);
    }

    private static void Write(ZipArchive zip, string entry, byte[] content)
    {
        zip.GetEntry(entry)!.Delete();
        using var stream = zip.CreateEntry(entry).Open();
        stream.Write(content);
    }
}
