using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MLNetFlows.Persistence;
using Xunit.Abstractions;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// A conditional INN's architecture input must be exactly its image size padded to a multiple of 2^L. Was: mutation 403
/// of seed 1313 of the tiny cINN (bench/reliability/fuzz-models.sh 500 1313 0 1 cinn) set the architecture's Height to
/// 1 048 576; its convolutions' weights do not depend on the image size, so the file loaded, and scoring four rows padded
/// them to 1 048 576×28 — the bench process grew to 20 GB and the kernel's OOM killer ended it.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class ImageSizeBoundsTests(OtherModels others, ITestOutputHelper output)
{
    [Theory]
    [InlineData("Height", 1 << 20)]
    [InlineData("Width", 1 << 20)]
    [InlineData("Height", 32)]
    [InlineData("Width", 4)]
    public void AnArchitectureInputOtherThanThePaddedImageIsRefusedAtLoad(string field, int value)
    {
        var entries = ModelMutator.Read(others.ConditionalInn);
        var manifestName = entries.Keys.Single(n => n.EndsWith("manifest.json", StringComparison.Ordinal));
        var manifest = JsonNode.Parse(entries[manifestName])!;
        manifest["parameters"]!["cinn.architecture"]![field] = value;
        entries[manifestName] = Encoding.UTF8.GetBytes(manifest.ToJsonString());

        var error = Load(ModelMutator.Write(entries));

        Assert.Contains("is not the image size 28×28 padded to a multiple of 2^2 (28×28)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Mutation 403 of seed 1313, drawn as the bench drew it then (<c>Random(seed + index)</c>, before <see cref="FuzzRandom"/>).</summary>
    [Fact]
    public void TheCinnMutationThatExhaustedMemoryIsRefusedAtLoad()
    {
        var (kind, file) = (ModelMutation.ManifestField, ModelMutator.Mutate(others.ConditionalInn, ModelMutation.ManifestField, new Random(1313 + 403)));

        var error = Load(file);

        Assert.Equal(ModelMutation.ManifestField, kind);
        Assert.Contains("the architecture's input 1048576×28 is not the image size 28×28", error.Message, StringComparison.Ordinal);
    }

    private ModelFormatException Load(byte[] file)
    {
        var ml = new MLContext(0);
        ml.ComponentCatalog.RegisterMLNetFlows();
        var clock = Stopwatch.StartNew();
        var error = Record.Exception(() => (ml.Model.LoadChecked(new MemoryStream(file), out _) as IDisposable)?.Dispose());
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: {error?.GetBaseException().Message}");
        return Assert.IsType<ModelFormatException>(error?.GetBaseException());
    }
}
