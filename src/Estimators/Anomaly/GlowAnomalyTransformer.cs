using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Persistence;

namespace MLNetFlows.Estimators.Anomaly;

/// <summary>
/// A fitted Glow anomaly detector: the density columns of <see cref="GlowTransformer"/> plus ML.NET's anomaly outputs
/// <c>Score</c> (Single, higher = more anomalous) and <c>PredictedLabel</c> (Boolean, Score &gt; <see cref="Threshold"/>),
/// and <c>ComplexityBitsPerDim</c> (the PNG bits/dim of the input). Immutable; change the threshold with
/// <c>mlContext.AnomalyDetection.ChangeModelThreshold(detector, threshold)</c> (our overload: ML.NET's own takes only
/// its sealed <c>AnomalyPredictionTransformer</c>).
/// </summary>
public sealed class GlowAnomalyTransformer : BatchedTransformer, IDisposable
{
    internal static readonly PersistedModelKind Kind = new("GLOWANOM", "MLNetFlowsGlowAnomaly", typeof(GlowAnomalyTransformer));

    internal GlowAnomalyTransformer(GlowTransformer density, AnomalyScoreKind scoreKind, float threshold)
    {
        Density = density;
        ScoreKind = scoreKind;
        Threshold = threshold;
    }

    /// <summary>Gets the underlying density model (sampling, encoding, training history).</summary>
    public GlowTransformer Density { get; }

    /// <summary>Gets what Score holds.</summary>
    public AnomalyScoreKind ScoreKind { get; }

    /// <summary>Gets the threshold: rows with Score above it are predicted anomalous.</summary>
    public float Threshold { get; }

    private protected override PersistedModelKind ModelKind => Kind;

    /// <summary>Frees the native weights (shared with <see cref="Density"/> and with detectors made by ChangeModelThreshold).</summary>
    public void Dispose() => Density.Dispose();

    /// <summary>A detector that shares this one's model but flags rows above <paramref name="threshold"/>.</summary>
    internal GlowAnomalyTransformer WithThreshold(float threshold) => new(Density, ScoreKind, threshold);

    internal static void Register(ComponentCatalog catalog) => ModelLoaders.Register(catalog, Kind, (reader, _) =>
    {
        var scoreKind = reader.GetEnum<AnomalyScoreKind>("scoreKind");
        var threshold = reader.GetDouble("threshold");
        return new GlowAnomalyTransformer(GlowTransformer.Load(reader), scoreKind, (float)threshold);
    });

    private protected override BatchMapper MakeMapper(DataViewSchema inputSchema) =>
        new GlowScoringMapper(inputSchema, Density.Network, Density.FeatureColumnName, Density.OutputLatent, new AnomalyScoring(ScoreKind, Threshold), Density.ScoringBatchSize);

    private protected override void SaveModel(ModelWriter writer)
    {
        writer.Set("scoreKind", ScoreKind.ToString());
        writer.Set("threshold", Threshold);
        Density.SaveSettings(writer);
    }
}
