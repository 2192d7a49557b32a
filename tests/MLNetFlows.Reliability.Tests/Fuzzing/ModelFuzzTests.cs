using Microsoft.ML;
using MLNetFlows.Reliability.Tests.Cli;
using Xunit.Abstractions;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// Seeded model-file fuzzing with a small fixed budget (bench/reliability/fuzz-models.sh runs 10 000+): every mutated
/// zip is refused with a clear error or loads and scores, through <c>mlContext.Model.Load</c> and <c>mlnetflows
/// score</c>, allocating no more than its size warrants, for each model kind (Glow detector, conditional INN, InfoGAN).
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class ModelFuzzTests(TinyModel model, OtherModels others, ITestOutputHelper output) : IDisposable
{
    private const int Seed = 1313;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("glow")]
    [InlineData("cinn")]
    [InlineData("infogan")]
    public void EveryMutatedModelIsRefusedClearlyOrLoadsAndScores(string kind)
    {
        var count = Enum.GetValues<ModelMutation>().Length * 25;
        var bytes = others.Of(kind, model);

        var (tally, maxAllocated, maxFile) = ModelFuzzer.Run(bytes, count, Seed, TinyModel.Rows(new MLContext(0)), TimeSpan.FromSeconds(20), openDefects: true);

        output.WriteLine(tally.Summary());
        output.WriteLine($"largest allocation: {maxAllocated >> 10} KB ({maxFile}); model file {bytes.Length} bytes");
        Assert.True(tally.Crashed == 0 && tally.Hung == 0, tally.Summary());
        Assert.Equal(count, tally.Total);
        Assert.True(tally.Refused > count / 2, "most mutations must be refused: the mutator did not damage the files");
    }

    [Fact]
    public void TheCliRefusesEachKindOfMutatedModelInOneLineOrScoresWithIt()
    {
        var runs = Enum.GetValues<ModelMutation>().AsParallel().WithDegreeOfParallelism(2).Select(kind =>
        {
            var (_, bytes) = ModelFuzzer.Mutation(model.Bytes, Seed, (int)kind, openDefects: true);
            var path = _directory.File($"{kind}.zip");
            File.WriteAllBytes(path, bytes);
            var csv = _directory.File($"{kind}.csv");
            var run = Tool.Run("score", "--model", path, "--data", "constant", "--limit", "4", "--output", csv, "--threads", "1");
            return (Kind: kind, Run: run, Wrote: File.Exists(csv));
        }).ToArray();

        foreach (var (kind, run, wrote) in runs.OrderBy(r => r.Kind))
        {
            output.WriteLine($"{kind}: {(run.ExitCode == 0 ? "scored" : run.Describe())}");
            Assert.True(run.ExitCode == 0 || run.IsOneLineFailure, $"{kind}: {run.Describe()}");
            Assert.Equal(run.ExitCode == 0, wrote);
        }

        Assert.Contains(runs, r => r.Run.ExitCode == 1);
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "escaped"));
    }

    /// <summary>
    /// Was "mlnetflows: internal error: System.ArgumentNullException" (exit code 70): ML.NET's schema lookup of an empty
    /// name; then a one-line error while scoring; now refused when the model is read (ManifestSettingsTests).
    /// </summary>
    [Fact]
    public void AModelWithAnEmptyFeatureColumnNameFailsInOneLine()
    {
        var entries = ModelMutator.Read(model.Bytes);
        var manifest = entries.Keys.Single(n => n.EndsWith("manifest.json", StringComparison.Ordinal));
        entries[manifest] = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(entries[manifest])
            .Replace("\"featureColumnName\": \"Features\"", "\"featureColumnName\": \"\"", StringComparison.Ordinal));
        var path = _directory.File("empty-name.zip");
        File.WriteAllBytes(path, ModelMutator.Write(entries));

        var line = Tool.Run("score", "--model", path, "--data", "constant", "--limit", "4", "--output", _directory.File("s.csv"), "--threads", "1").AssertOneLineFailure();

        Assert.StartsWith("mlnetflows: error: ", line, StringComparison.Ordinal);
        Assert.Contains("parameter 'featureColumnName' is \"\", expected the name of a column", line, StringComparison.Ordinal);
    }
}
