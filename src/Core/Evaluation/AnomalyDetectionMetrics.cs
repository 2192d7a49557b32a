namespace MLNetFlows;

/// <summary>Quality of an anomaly detector on labelled data, as ML.NET's AnomalyDetectionMetrics.</summary>
public sealed class AnomalyDetectionMetrics
{
    internal AnomalyDetectionMetrics(double areaUnderRocCurve, double detectionRateAtFalsePositiveCount, long anomalies, long normals)
    {
        AreaUnderRocCurve = areaUnderRocCurve;
        DetectionRateAtFalsePositiveCount = detectionRateAtFalsePositiveCount;
        AnomalyCount = anomalies;
        NormalCount = normals;
    }

    /// <summary>
    /// Probability that a random anomaly scores higher than a random normal row (ties count one half): 1 is perfect,
    /// 0.5 is chance.
    /// </summary>
    public double AreaUnderRocCurve { get; }

    /// <summary>
    /// Fraction of all anomalies ranked above the k-th highest-scoring normal row, k being the falsePositiveCount given to
    /// Evaluate: the detection rate a reviewer gets while tolerating k false alarms.
    /// </summary>
    public double DetectionRateAtFalsePositiveCount { get; }

    /// <summary>Rows labelled anomalous.</summary>
    public long AnomalyCount { get; }

    /// <summary>Rows labelled normal.</summary>
    public long NormalCount { get; }
}
