using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;
using static Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator;

namespace MLNetFlows.Pipeline.Tests;

/// <summary>
/// The README's pipeline as an application writes it, with ML.NET's own components around ours: a CSV of PNG paths →
/// LoadImages → ResizeImages → ConvertToGrayscale → ExtractPixels (ImageAnalytics) → Glow anomaly detection →
/// AnomalyDetection.Evaluate → Model.Save → Model.Load in a new MLContext → identical scores; and a chain with an ML.NET
/// trainer after our transformer.
/// </summary>
public sealed class ReadmePipelineTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Csv_of_PNGs_through_ImageAnalytics_into_Glow_anomaly_detection_saves_and_loads_with_identical_scores()
    {
        var (mlContext, images) = WriteImages();
        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder: _folder.Path, inputColumnName: nameof(ImageRow.Path))
            .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 28, imageHeight: 28))
            .Append(mlContext.Transforms.ConvertToGrayscale("Image"))
            .Append(mlContext.Transforms.ExtractPixels("Features", "Image", ColorBits.Red))
            .Append(mlContext.AnomalyDetection.Trainers.Glow(new GlowAnomalyOptions
            {
                ImageHeight = 28, ImageWidth = 28, Levels = 2, StepsPerLevel = 2, HiddenChannels = 16, BatchSize = 32,
                NumberOfEpochs = 4, WarmupSteps = 4, LearningRate = 2e-3, ScoreKind = AnomalyScoreKind.BitsPerDim,
            }));

        var model = pipeline.Fit(images);
        var scored = model.Transform(images);
        var metrics = mlContext.AnomalyDetection.Evaluate(scored);
        mlContext.Model.Save(model, images.Schema, _folder["model.zip"]);
        var newContext = new MLContext();
        newContext.ComponentCatalog.RegisterMLNetFlows();
        var loaded = newContext.Model.Load(_folder["model.zip"], out var inputSchema);

        // Inverted images (labelled anomalous) must rank above normal ones even after a few steps; a broken pipeline
        // (scrambled or mis-scaled pixels) ranks them at random, about 0.5.
        Assert.True(metrics.AreaUnderRocCurve > 0.65, $"AUROC {metrics.AreaUnderRocCurve}");
        Assert.Equal(images.Schema.Select(c => c.Name), inputSchema.Select(c => c.Name));
        Assert.Equal(Scores(mlContext, scored), Scores(newContext, loaded.Transform(images)));
    }

    [Fact]
    public void An_MLNet_trainer_after_Glow_trains_on_its_latents_and_the_chain_saves_and_loads()
    {
        var (mlContext, images) = WriteImages();
        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder: _folder.Path, inputColumnName: nameof(ImageRow.Path))
            .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 28, imageHeight: 28))
            .Append(mlContext.Transforms.ExtractPixels("Features", "Image", ColorBits.Red))
            .Append(mlContext.Transforms.Glow(new MLNetFlows.Trainers.Glow.GlowTrainerOptions
            {
                ImageHeight = 28, ImageWidth = 28, Levels = 2, StepsPerLevel = 2, HiddenChannels = 16, BatchSize = 32,
                NumberOfEpochs = 1, WarmupSteps = 2, OutputLatent = true,
            }))
            .Append(mlContext.Transforms.Concatenate("LatentFeatures", GlowColumns.Latent))
            .Append(mlContext.AnomalyDetection.Trainers.RandomizedPca("LatentFeatures", rank: 4, seed: 1));

        var model = pipeline.Fit(images);
        var scored = model.Transform(images);
        mlContext.Model.Save(model, images.Schema, _folder["mixed.zip"]);
        var newContext = new MLContext();
        newContext.ComponentCatalog.RegisterMLNetFlows();
        var loaded = newContext.Model.Load(_folder["mixed.zip"], out _);

        Assert.InRange(mlContext.AnomalyDetection.Evaluate(scored).AreaUnderRocCurve, 0, 1);
        Assert.Equal(Scores(mlContext, scored), Scores(newContext, loaded.Transform(images)));
    }

    private static float[] Scores(MLContext mlContext, IDataView scored) =>
        [.. mlContext.Data.CreateEnumerable<ScoredRow>(scored, reuseRowObject: false).Select(r => r.Score)];

    /// <summary>96 normal images and 32 inverted ones (label 1 = anomaly) as PNG files, listed in images.csv.</summary>
    private (MLContext MLContext, IDataView Images) WriteImages()
    {
        var normal = ImageFolders.Write(_folder.Path, 96, inverted: false);
        var inverted = ImageFolders.Write(_folder.Path, 32, inverted: true, skip: 500);
        var lines = normal.Select(p => $"{Path.GetFileName(p)},0").Concat(inverted.Select(p => $"{Path.GetFileName(p)},1"));
        File.WriteAllLines(_folder["images.csv"], ["path,label", .. lines]);
        var mlContext = new MLContext(seed: 1);
        return (mlContext, mlContext.Data.LoadFromTextFile<ImageRow>(_folder["images.csv"], separatorChar: ',', hasHeader: true));
    }

    public sealed class ImageRow
    {
        [LoadColumn(0)]
        public string Path { get; set; } = string.Empty;

        /// <summary>1 = anomaly (AnomalyDetection.Evaluate takes a Single label).</summary>
        [LoadColumn(1)]
        public float Label { get; set; }
    }

    private sealed class ScoredRow
    {
        public float Score { get; set; }
    }
}
