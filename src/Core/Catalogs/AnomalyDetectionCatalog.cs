namespace MLNetFlows;

/// <summary>Anomaly detection: <c>mlContext.AnomalyDetection.Trainers.X(...)</c> and evaluation, added by extension methods.</summary>
public sealed class AnomalyDetectionCatalog : CatalogBase
{
    internal AnomalyDetectionCatalog(MLContext context)
        : base(context) => Trainers = new AnomalyDetectionTrainers(context);

    /// <summary>Gets the anomaly detection trainers.</summary>
    public AnomalyDetectionTrainers Trainers { get; }

    /// <summary>Evaluates scored data against known labels (ML.NET's AnomalyDetection.Evaluate).</summary>
    /// <param name="data">Scored data with a label column.</param>
    /// <param name="labelColumnName">Boolean (true = anomaly) or Single (1 = anomaly, 0 = normal) labels.</param>
    /// <param name="scoreColumnName">Single scores, higher = more anomalous.</param>
    /// <param name="predictedLabelColumnName">Accepted for ML.NET compatibility; the metrics rank by score only.</param>
    /// <param name="falsePositiveCount">k of <see cref="AnomalyDetectionMetrics.DetectionRateAtFalsePositiveCount"/>.</param>
    /// <returns>AUC and detection rate.</returns>
    public AnomalyDetectionMetrics Evaluate(IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score",
        string predictedLabelColumnName = "PredictedLabel", int falsePositiveCount = 10)
    {
        _ = predictedLabelColumnName;
        return AnomalyDetectionEvaluator.Evaluate(data, labelColumnName, scoreColumnName, falsePositiveCount);
    }

    /// <summary>The anomaly detection trainers, added by extension methods.</summary>
    public sealed class AnomalyDetectionTrainers : CatalogBase
    {
        internal AnomalyDetectionTrainers(MLContext context)
            : base(context)
        {
        }
    }
}
