namespace MLNetFlows.Core.Tests.Evaluation;

public sealed class AnomalyDetectionEvaluatorTests
{
    private sealed class Row
    {
        public bool Label { get; set; }

        public float Score { get; set; }
    }

    private sealed class FloatLabelRow
    {
        public float Label { get; set; }

        public float Score { get; set; }
    }

    private static AnomalyDetectionMetrics Evaluate(params (bool Label, float Score)[] rows)
    {
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Label = r.Label, Score = r.Score }));
        return ml.AnomalyDetection.Evaluate(data, falsePositiveCount: 2);
    }

    [Fact]
    public void PerfectSeparationHasAucOne()
    {
        var metrics = Evaluate((true, 9), (true, 8), (false, 1), (false, 2), (false, 3));

        Assert.Equal(1.0, metrics.AreaUnderRocCurve);
        Assert.Equal(1.0, metrics.DetectionRateAtFalsePositiveCount);
        Assert.Equal(2, metrics.AnomalyCount);
        Assert.Equal(3, metrics.NormalCount);
    }

    [Fact]
    public void AucCountsPairsAndTiesByHand()
    {
        // Anomalies 5, 3; normals 4, 3, 1. Pairs (a > n): 5>4, 5>3, 5>1, 3>1 = 4; tie 3=3 counts 0.5: AUC = 4.5 / 6.
        var metrics = Evaluate((true, 5), (true, 3), (false, 4), (false, 3), (false, 1));

        Assert.Equal(4.5 / 6, metrics.AreaUnderRocCurve, 12);
    }

    [Fact]
    public void DetectionRateStopsAtTheKthFalsePositive()
    {
        // Descending: a(9), n(8), a(7), n(6) ← 2nd false positive, a(5) not reached. 2 of 3 anomalies detected.
        var metrics = Evaluate((true, 9), (false, 8), (true, 7), (false, 6), (true, 5), (false, 1));

        Assert.Equal(2.0 / 3, metrics.DetectionRateAtFalsePositiveCount, 12);
    }

    [Fact]
    public void InvertedScoresHaveAucZero()
    {
        Assert.Equal(0.0, Evaluate((true, 1), (false, 2)).AreaUnderRocCurve);
    }

    [Fact]
    public void SingleLabelsWorkAndOtherValuesAreRefused()
    {
        var ml = new MLContext(0);
        var good = ml.Data.LoadFromEnumerable(new[] { new FloatLabelRow { Label = 1, Score = 2 }, new FloatLabelRow { Label = 0, Score = 1 } });
        var bad = ml.Data.LoadFromEnumerable(new[] { new FloatLabelRow { Label = 0.5f, Score = 2 } });

        Assert.Equal(1.0, ml.AnomalyDetection.Evaluate(good).AreaUnderRocCurve);
        Assert.Equal("label column 'Label' holds 0.5; expected 1 (anomaly) or 0 (normal)", Assert.Throws<InvalidDataException>(() => ml.AnomalyDetection.Evaluate(bad)).Message);
    }

    [Fact]
    public void OneClassOnlyIsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => Evaluate((false, 1), (false, 2)));

        Assert.StartsWith("evaluation needs both anomalous and normal rows in 'Label', got 0 anomalous and 2 normal", error.Message);
    }

    [Fact]
    public void MissingScoreColumnNamesIt()
    {
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Label = true, Score = 1 } });

        var error = Assert.Throws<SchemaMismatchException>(() => ml.AnomalyDetection.Evaluate(data, scoreColumnName: "Missing"));

        Assert.Contains("Missing", error.Message);
    }
}
