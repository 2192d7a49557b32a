using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MLNetFlows.Persistence;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

[Collection(TinyModelCollection.Name)]
public sealed class LoaderBoundsTests(TinyModel model)
{
    [Theory]
    [InlineData(16_385)]
    [InlineData(1 << 20)]        // loaded before: every cursor allocated ~81 MB to score four images
    [InlineData(int.MaxValue)]   // loaded before: OutOfMemoryException at Transform
    public void AScoringBatchSizeAboveTheLimitIsRefusedAtLoad(int value)
    {
        var entries = ModelMutator.Read(model.Bytes);
        var name = entries.Keys.Single(n => n.EndsWith("manifest.json", StringComparison.Ordinal));
        var manifest = JsonNode.Parse(entries[name])!;
        manifest["parameters"]!["scoringBatchSize"] = value;
        entries[name] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var ml = new MLContext(0);
        ml.ComponentCatalog.RegisterMLNetFlows();

        var error = Record.Exception(() => ml.Model.Load(new MemoryStream(ModelMutator.Write(entries)), out _));

        var cause = Assert.IsType<ModelFormatException>(error?.GetBaseException());
        Assert.Contains("scoringBatchSize", cause.Message, StringComparison.Ordinal);
        Assert.Contains("an integer in [1, 16384]", cause.Message, StringComparison.Ordinal);
    }
}
