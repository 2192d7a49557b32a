using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.OnnxScoring;
using Xunit.Abstractions;

namespace MLNetFlows.Onnx.Tests;

/// <summary>The batched ONNX Runtime scorer of class-conditional INNs against the TorchSharp transformer: columns, values, types, annotations, errors.</summary>
public sealed class ConditionalInnOnnxScoringTests : IClassFixture<ConditionalInnOnnxScoringTests.Exported>
{
    private const int Images = 200;
    private readonly Exported _exported;
    private readonly ITestOutputHelper _output;

    public ConditionalInnOnnxScoringTests(Exported exported, ITestOutputHelper output)
    {
        _exported = exported;
        _output = output;
    }

    [Theory]
    [InlineData(64)]
    [InlineData(7)]
    public void GivesTheTorchSharpTransformersColumnsAndValues(int batchSize)
    {
        var ml = new MLContext(0);
        var images = TinyGlows.TestImages(ml, Images);
        var estimator = ml.Transforms.ScoreConditionalInnOnnx(_exported.Density, batchSize: batchSize, threads: 1);
        using var scorer = estimator.Fit(images);
        var scored = scorer.Transform(images);
        var torch = _exported.Model.Transform(images);

        SchemaComparer.AssertSameColumns(torch.Schema, scored.Schema, "ONNX Runtime scorer vs TorchSharp transformer");
        SchemaComparer.AssertShapeMatches(estimator.GetOutputSchema(SchemaComparer.ShapeOf(images.Schema)), scored.Schema);
        var logLikelihood = ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, ConditionalInnColumns.LogLikelihood), ScoredColumns.Floats(scored, ConditionalInnOnnxNames.LogLikelihood));
        Assert.InRange(logLikelihood, 0, 1e-3);
        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, ConditionalInnColumns.BitsPerDim), ScoredColumns.Floats(scored, ConditionalInnOnnxNames.BitsPerDim)), 0, 1e-5);
        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, ConditionalInnColumns.Score), ScoredColumns.Floats(scored, ConditionalInnOnnxNames.Score)), 0, 1e-3);
        var predicted = OnnxInputs.Classes(scored, ConditionalInnOnnxNames.PredictedLabel);
        Assert.Equal(OnnxInputs.Classes(torch, ConditionalInnColumns.PredictedLabel), predicted);
        Assert.True(predicted.Distinct().Count() > 1, "the classifier must predict more than one class for the comparison to mean anything");

        // ML.NET's multiclass evaluation reads the scorer's columns as it reads TorchSharp's.
        var onnxMetrics = ml.MulticlassClassification.Evaluate(scored);
        var torchMetrics = ml.MulticlassClassification.Evaluate(torch);
        Assert.Equal(torchMetrics.MicroAccuracy, onnxMetrics.MicroAccuracy);
        Assert.Equal(torchMetrics.LogLoss, onnxMetrics.LogLoss, 1e-3);
        _output.WriteLine($"batch {batchSize}: max |Δ log p| {logLikelihood:E2} nats over {Images} images; accuracy {onnxMetrics.MicroAccuracy:F3}");
    }

    [Fact]
    public void WithoutTheLabelColumnAddsOnlyScoreAndPredictedLabel()
    {
        var ml = new MLContext(0);
        var images = ml.Transforms.DropColumns("Label").Fit(TinyGlows.TestImages(ml, 40)).Transform(TinyGlows.TestImages(ml, 40));
        using var scorer = ml.Transforms.ScoreConditionalInnOnnx(_exported.Density, threads: 1).Fit(images);
        var scored = scorer.Transform(images);
        var torch = _exported.Model.Transform(images);

        SchemaComparer.AssertSameColumns(torch.Schema, scored.Schema, "without a label column");
        Assert.Equal([ConditionalInnOnnxNames.Score, ConditionalInnOnnxNames.PredictedLabel], scored.Schema.Skip(images.Schema.Count).Select(c => c.Name));
        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, ConditionalInnColumns.Score), ScoredColumns.Floats(scored, ConditionalInnOnnxNames.Score)), 0, 1e-3);
    }

    [Fact]
    public void BadLabelsAndWrongFilesAreClearErrors()
    {
        var ml = new MLContext(0);
        var rows = Enumerable.Range(0, 3).Select(i => new IntLabelRow { Features = new float[784], Label = i == 2 ? 10 : i }).ToArray();
        using var scorer = ml.Transforms.ScoreConditionalInnOnnx(_exported.Density).Fit(ml.Data.LoadFromEnumerable(rows));
        var outOfRange = Assert.Throws<InvalidDataException>(() => ScoredColumns.Floats(scorer.Transform(ml.Data.LoadFromEnumerable(rows)), ConditionalInnOnnxNames.LogLikelihood));
        Assert.Equal("column 'Label' holds the class 10, which is not a class of this model: expected class indices 0 … 9", outOfRange.Message);

        var wrongLabel = Assert.Throws<ArgumentOutOfRangeException>(() => scorer.GetOutputSchema(ml.Data.LoadFromEnumerable(new[] { new TextLabelRow() }).Schema));
        Assert.StartsWith("column 'Label' is String; expected Key<UInt32, 0-9> (one key per class) or Int32 (class indices 0 … 9)", wrongLabel.Message, StringComparison.Ordinal);

        var sampler = Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreConditionalInnOnnx(_exported.Sampler));
        Assert.Equal($"'{_exported.Sampler}' is a conditional INN sampler (latent → image), not a density model: export with '--direction density' to score images", sampler.Message);
        var glowFile = GlowFixture();
        var glow = Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreConditionalInnOnnx(glowFile));
        Assert.Equal($"'{glowFile}' is not a class-conditional INN: its model kind is 'Anomaly', expected ConditionalInnDensity or ConditionalInnSampler", glow.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => ml.Transforms.ScoreConditionalInnOnnx("missing.onnx"));
        Assert.Equal("ONNX model file 'missing.onnx' does not exist; export one with 'mlnetflows export --model cinn.zip --output missing.onnx'", missing.Message);
    }

    /// <summary>The exported Glow detector of MLNetFlows.OnnxScoring.Tests' fixture.</summary>
    private static string GlowFixture([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "MLNetFlows.OnnxScoring.Tests", "Fixtures", "glow-detector.onnx"));

    private sealed class IntLabelRow
    {
        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];

        public int Label { get; set; }
    }

    private sealed class TextLabelRow
    {
        [VectorType(784)]
        public float[] Features { get; set; } = new float[784];

        public string Label { get; set; } = "";
    }

    /// <summary>A tiny class-conditional INN and its exported density and sampler files, made once for the class.</summary>
    public sealed class Exported : IDisposable
    {
        private readonly TempDirectory _directory = new();

        public Exported()
        {
            Model = TinyConditionalModels.Cinn(TinyConditionalModels.CinnVariant.HaarOneHot);
            Density = _directory.File("cinn.onnx");
            Sampler = _directory.File("cinn-sampler.onnx");
            ConditionalInnOnnxExporter.Export(Model, Density);
            ConditionalInnOnnxExporter.Export(Model, Sampler, ConditionalInnOnnxDirection.Sample);
        }

        public ConditionalInnTransformer Model { get; }

        public string Density { get; }

        public string Sampler { get; }

        public void Dispose()
        {
            Model.Dispose();
            _directory.Dispose();
        }
    }
}
