using MLNetFlows.Data;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Torch.Imaging;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Estimators.Tests;

/// <summary>The README's pipeline, end to end on real files: CSV → LoadImages → … → Glow anomaly detection → Evaluate → Save/Load.</summary>
public sealed class ReadmePipelineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnf-readme-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public sealed class ImageRow
    {
        [LoadColumn(0)]
        public string Path { get; set; } = string.Empty;

        [LoadColumn(1)]
        public bool Label { get; set; }
    }

    [Fact]
    public void CsvOfPngsThroughTheImageTransformsIntoGlowAnomalyDetection()
    {
        var photos = Directory.CreateDirectory(Path.Combine(_directory, "photos")).FullName;
        var lines = new List<string> { "path,label" };
        var normal = FashionMnistRows.Load(96);
        var inverted = FashionMnistRows.Load(32, train: false, invert: true, anomaly: true);
        foreach (var (row, i) in normal.Concat(inverted).Select((r, i) => (r, i)))
        {
            var bytes = row.Features.Select(v => (byte)v).ToArray();
            File.WriteAllBytes(Path.Combine(photos, $"{i}.png"), ImageCodec.EncodePng(bytes, 28, 28, 1));
            lines.Add($"{i}.png,{(row.Label ? "true" : "false")}");
        }

        File.WriteAllLines(Path.Combine(_directory, "images.csv"), lines);
        var mlContext = new MLContext(seed: 1);
        var images = mlContext.Data.LoadFromTextFile<ImageRow>(Path.Combine(_directory, "images.csv"), separatorChar: ',', hasHeader: true);
        var options = new GlowAnomalyOptions
        {
            ImageHeight = 28, ImageWidth = 28, Levels = 2, StepsPerLevel = 2, HiddenChannels = 16, BatchSize = 32, NumberOfEpochs = 3,
            WarmupSteps = 4, LearningRate = 2e-3, ScoreKind = AnomalyScoreKind.BitsPerDim,
        };
        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder: photos, inputColumnName: "Path")
            .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 28, imageHeight: 28))
            .Append(mlContext.Transforms.ConvertToGrayscale("Image"))
            .Append(mlContext.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red))
            .Append(mlContext.AnomalyDetection.Trainers.Glow(options));

        var model = pipeline.Fit(images); // trains on all 128 rows, anomalies included: a realistic, contaminated set
        var scored = model.Transform(images);
        var metrics = mlContext.AnomalyDetection.Evaluate(scored);
        var path = Path.Combine(_directory, "model.zip");
        mlContext.Model.Save(model, images.Schema, path);
        var loaded = mlContext.Model.Load(path, out var schema);

        Assert.True(metrics.AreaUnderRocCurve > 0.8, $"AUROC {metrics.AreaUnderRocCurve}");
        Assert.NotNull(schema);
        var before = mlContext.Data.CreateEnumerable<Scored>(scored, false).Select(r => r.Score).ToArray();
        var after = mlContext.Data.CreateEnumerable<Scored>(loaded.Transform(images), false).Select(r => r.Score).ToArray();
        Assert.Equal(before, after);
        model.LastTransformer!.Dispose();
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }
}
