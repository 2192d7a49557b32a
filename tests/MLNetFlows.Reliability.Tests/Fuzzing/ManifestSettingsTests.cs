using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MLNetFlows.Persistence;
using Xunit.Abstractions;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// The settings a cINN or InfoGAN manifest holds besides its architecture are checked when the file is read, before the
/// network is built. Were (fuzz-models.sh 10000 1313 0 1 cinn|infogan): a <c>scoringBatchSize</c> /
/// <c>inferenceBatchSize</c> of 2 147 483 647 loaded and crashed scoring (<c>TargetInvocationException</c>), one of
/// 1 048 576 made every cursor allocate 68 MB (cINN) or 92 MB (InfoGAN) to score four rows; an empty
/// <c>labelColumnName</c> loaded and ended in ML.NET's <c>ArgumentNullException</c> while scoring.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class ManifestSettingsTests(TinyModel glow, OtherModels others, ITestOutputHelper output)
{
    [Theory]
    [InlineData("cinn", "scoringBatchSize", 16_385)]
    [InlineData("cinn", "scoringBatchSize", 1 << 20)]
    [InlineData("cinn", "scoringBatchSize", int.MaxValue)]
    [InlineData("infogan", "inferenceBatchSize", 16_385)]
    [InlineData("infogan", "inferenceBatchSize", 1 << 20)]
    [InlineData("infogan", "inferenceBatchSize", int.MaxValue)]
    public void ABatchSizeAboveTheLimitIsRefusedAtLoad(string kind, string parameter, int value)
    {
        var error = Load(WithParameter(others.Of(kind, glow), parameter, value));

        Assert.Contains($"parameter '{parameter}' is {value}, expected an integer in [1, 16384]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cinn", "scoringBatchSize")]
    [InlineData("infogan", "inferenceBatchSize")]
    public void TheLargestBatchSizeStillLoadsAndScores(string kind, string parameter)
    {
        var ml = new MLContext(0);
        ml.ComponentCatalog.RegisterMLNetFlows();
        using var model = (IDisposable)ml.Model.LoadChecked(new MemoryStream(WithParameter(others.Of(kind, glow), parameter, 16_384)), out _);

        ModelFuzzer.ScoreAll((ITransformer)model, TinyModel.Rows(ml));
    }

    [Theory]
    [InlineData("cinn", "labelColumnName", "")]
    [InlineData("cinn", "featureColumnName", "")]
    [InlineData("cinn", "labelColumnName", " ")]
    [InlineData("infogan", "featureColumnName", "")]
    [InlineData("glow", "featureColumnName", "")]
    public void AnEmptyColumnNameIsRefusedAtLoad(string kind, string parameter, string value)
    {
        var error = Load(WithParameter(others.Of(kind, glow), parameter, value));

        Assert.Contains($"parameter '{parameter}' is \"{value}\", expected the name of a column", error.Message, StringComparison.Ordinal);
    }

    private ModelFormatException Load(byte[] file)
    {
        var ml = new MLContext(0);
        ml.ComponentCatalog.RegisterMLNetFlows();
        var clock = Stopwatch.StartNew();
        var error = Record.Exception(() =>
        {
            var model = ml.Model.LoadChecked(new MemoryStream(file), out _);
            try
            {
                ModelFuzzer.ScoreAll(model, TinyModel.Rows(ml));
            }
            finally
            {
                (model as IDisposable)?.Dispose();
            }
        });
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: {error?.GetBaseException().Message}");
        return Assert.IsType<ModelFormatException>(error?.GetBaseException());
    }

    private static byte[] WithParameter(byte[] model, string parameter, JsonNode value)
    {
        var entries = ModelMutator.Read(model);
        var name = entries.Keys.Single(n => n.EndsWith("manifest.json", StringComparison.Ordinal) && JsonNode.Parse(entries[n])!["parameters"]![parameter] is not null);
        var manifest = JsonNode.Parse(entries[name])!;
        manifest["parameters"]![parameter] = value;
        entries[name] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        return ModelMutator.Write(entries);
    }
}
