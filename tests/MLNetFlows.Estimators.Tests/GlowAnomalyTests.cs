using Microsoft.ML;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Estimators.Tests;

public sealed class GlowAnomalyTests
{
    private static GlowAnomalyOptions Options(AnomalyScoreKind kind)
    {
        var tiny = GlowTrainerTests.Tiny();
        return new GlowAnomalyOptions
        {
            ImageHeight = 28, ImageWidth = 28, Levels = tiny.Levels, StepsPerLevel = tiny.StepsPerLevel, HiddenChannels = tiny.HiddenChannels,
            BatchSize = tiny.BatchSize, NumberOfEpochs = 3, WarmupSteps = tiny.WarmupSteps, LearningRate = tiny.LearningRate,
            ScoringBatchSize = tiny.ScoringBatchSize, ValidationFraction = 0.25, ScoreKind = kind, TargetFalsePositiveRate = 0.1,
        };
    }

    [Fact]
    public void SatisfiesTheEstimatorContract()
    {
        var ml = new MLContext(1);
        var data = FashionMnistRows.View(ml, FashionMnistRows.Load(64));

        using var detector = EstimatorContract.Check(ml, ml.AnomalyDetection.Trainers.Glow(Options(AnomalyScoreKind.ComplexityCorrected)), data, GlowTrainerTests.FreshContext,
            new BadInput(ml.Data.LoadFromEnumerable(new[] { new { Other = 1f } }), "Features", GlowColumns.ExpectedFeatures(1, 28, 28), null));

        Assert.True(float.IsFinite(detector.Threshold));
    }

    [Theory]
    [InlineData(AnomalyScoreKind.BitsPerDim, false, 0.9)]
    [InlineData(AnomalyScoreKind.ComplexityCorrected, true, 0.9)]
    public void SeparatesOutOfDistributionImagesAndHonoursTheThreshold(AnomalyScoreKind kind, bool constantImages, double minimumAuc)
    {
        // Raw bits/dim flags inverted images; flat (constant) images are the Nalisnick et al. failure case that the
        // complexity correction of Serrà et al. exists for.
        var ml = new MLContext(2);
        using var detector = ml.AnomalyDetection.Trainers.Glow(Options(kind)).Fit(FashionMnistRows.View(ml, FashionMnistRows.Load(256)));
        var anomalies = constantImages ? FashionMnistRows.Constant(100) : FashionMnistRows.Load(100, train: false, invert: true, anomaly: true);
        var test = FashionMnistRows.View(ml, FashionMnistRows.Load(100, train: false), anomalies);

        var scored = detector.Transform(test);
        var metrics = ml.AnomalyDetection.Evaluate(scored);
        var rows = ml.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false).ToArray();
        var everything = ml.AnomalyDetection.ChangeModelThreshold(detector, float.NegativeInfinity);

        Assert.True(metrics.AreaUnderRocCurve > minimumAuc, $"AUROC {metrics.AreaUnderRocCurve}");
        Assert.All(rows, r => Assert.Equal(r.Score > detector.Threshold, r.PredictedLabel));
        Assert.All(ml.Data.CreateEnumerable<Scored>(everything.Transform(test), false), r => Assert.True(r.PredictedLabel));
        Assert.Equal(float.NegativeInfinity, everything.Threshold);
        var expected = kind == AnomalyScoreKind.BitsPerDim ? rows.Select(r => r.BitsPerDim) : rows.Select(r => r.BitsPerDim - r.ComplexityBitsPerDim);
        Assert.Equal(expected.ToArray(), rows.Select(r => r.Score).ToArray(), (a, b) => Math.Abs(a - b) < 1e-4);
    }

    [Fact]
    public void ThresholdFlagsAboutTheTargetRateOfNormalData()
    {
        var ml = new MLContext(3);
        using var detector = ml.AnomalyDetection.Trainers.Glow(Options(AnomalyScoreKind.BitsPerDim)).Fit(FashionMnistRows.View(ml, FashionMnistRows.Load(256)));

        var flagged = ml.Data.CreateEnumerable<Scored>(detector.Transform(FashionMnistRows.View(ml, FashionMnistRows.Load(400, train: false))), false)
            .Count(r => r.PredictedLabel) / 400.0;

        Assert.InRange(flagged, 0.02, 0.3); // target 0.1, fitted on 64 held-out rows of a 3-epoch model
    }

    [Fact]
    public void AChangedThresholdSurvivesSaveAndLoad()
    {
        var ml = new MLContext(4);
        var data = FashionMnistRows.View(ml, FashionMnistRows.Load(64));
        var options = Options(AnomalyScoreKind.BitsPerDim);
        options.NumberOfEpochs = 1;
        using var detector = ml.AnomalyDetection.Trainers.Glow(options).Fit(data);
        var changed = ml.AnomalyDetection.ChangeModelThreshold(detector, 3.25f);
        using var stream = new MemoryStream();
        ml.Model.Save(changed, data.Schema, stream);
        stream.Position = 0;

        using var loaded = Assert.IsType<GlowAnomalyTransformer>(GlowTrainerTests.FreshContext().Model.Load(stream, out _));

        Assert.Equal(3.25f, loaded.Threshold);
        Assert.Equal(AnomalyScoreKind.BitsPerDim, loaded.ScoreKind);
        Assert.Throws<ArgumentException>(() => ml.AnomalyDetection.ChangeModelThreshold(detector, float.NaN));
    }

    private sealed class Scored
    {
        public float Label { get; set; }

        public float Score { get; set; }

        public bool PredictedLabel { get; set; }

        public float BitsPerDim { get; set; }

        public float ComplexityBitsPerDim { get; set; }
    }
}
