using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Persistence;
using MLNetFlows.Trainers.Cinn;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// The image-conditioned cINN's loader checks its manifest's batch size and column names like the class-conditional
/// one (ManifestSettingsTests): it read <c>scoringBatchSize</c> with no upper bound and its column names unchecked.
/// </summary>
public sealed class ImageConditionalInnManifestTests
{
    private const int Side = 8;

    private static readonly Lazy<byte[]> Model = new(Fit);

    [Theory]
    [InlineData("scoringBatchSize", 16_385, "parameter 'scoringBatchSize' is 16385, expected an integer in [1, 16384]")]
    [InlineData("scoringBatchSize", int.MaxValue, "parameter 'scoringBatchSize' is 2147483647, expected an integer in [1, 16384]")]
    [InlineData("conditionColumnName", "", "parameter 'conditionColumnName' is \"\", expected the name of a column")]
    [InlineData("featureColumnName", "", "parameter 'featureColumnName' is \"\", expected the name of a column")]
    public void ABadSettingIsRefusedAtLoad(string parameter, object value, string expected)
    {
        var entries = ModelMutator.Read(Model.Value);
        var name = entries.Keys.Single(n => n.EndsWith("manifest.json", StringComparison.Ordinal) && JsonNode.Parse(entries[n])!["parameters"]![parameter] is not null);
        var manifest = JsonNode.Parse(entries[name])!;
        manifest["parameters"]![parameter] = JsonValue.Create(value);
        entries[name] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var ml = new MLContext(0);
        ml.ComponentCatalog.RegisterMLNetFlows();

        var error = Record.Exception(() => (ml.Model.LoadChecked(new MemoryStream(ModelMutator.Write(entries)), out _) as IDisposable)?.Dispose());

        Assert.Contains(expected, Assert.IsType<ModelFormatException>(error?.GetBaseException()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUnchangedModelLoads()
    {
        var ml = new MLContext(0);
        ml.ComponentCatalog.RegisterMLNetFlows();

        using var model = (IDisposable)ml.Model.LoadChecked(new MemoryStream(Model.Value), out var schema);

        Assert.NotNull(schema.GetColumnOrNull("Condition"));
    }

    private static byte[] Fit()
    {
        var ml = new MLContext(1);
        var random = new Random(3);
        var rows = Enumerable.Range(0, 16).Select(_ => new Row
        {
            Features = [.. Enumerable.Range(0, 2 * Side * Side).Select(_ => 96f + random.Next(64))],
            Condition = [.. Enumerable.Range(0, Side * Side).Select(_ => (float)random.Next(256))],
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = new ConditionalInnTrainerOptions
        {
            ImageHeight = Side, ImageWidth = Side, Channels = 2, Condition = ConditionKind.Image, ConditionImageChannels = 1,
            Levels = 2, BlocksPerLevel = 1, HiddenChannels = 4, ConditionFeatureChannels = 4, BatchSize = 8, NumberOfEpochs = 1,
            ValidationFraction = 0, ScoringBatchSize = 8, Seed = 1,
        };
        using var model = ml.Transforms.ImageConditionalInn(options).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    private sealed class Row
    {
        [VectorType(2, Side, Side)]
        public float[] Features { get; set; } = [];

        [VectorType(1, Side, Side)]
        public float[] Condition { get; set; } = [];
    }
}
