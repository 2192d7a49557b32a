namespace MLNetFlows;

/// <summary>Anomaly detection: <c>mlContext.AnomalyDetection.Trainers.X(...)</c> and evaluation, added by extension methods.</summary>
public sealed class AnomalyDetectionCatalog : CatalogBase
{
    internal AnomalyDetectionCatalog(MLContext context)
        : base(context) => Trainers = new AnomalyDetectionTrainers(context);

    /// <summary>Gets the anomaly detection trainers.</summary>
    public AnomalyDetectionTrainers Trainers { get; }

    /// <summary>The anomaly detection trainers, added by extension methods.</summary>
    public sealed class AnomalyDetectionTrainers : CatalogBase
    {
        internal AnomalyDetectionTrainers(MLContext context)
            : base(context)
        {
        }
    }
}
