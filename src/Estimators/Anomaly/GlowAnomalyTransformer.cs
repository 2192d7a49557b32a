using System.Globalization;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Persistence;
using MLNetFlows.Torch;

namespace MLNetFlows.Estimators.Anomaly;

/// <summary>
/// A fitted Glow anomaly detector: the density columns of <see cref="GlowTransformer"/> plus ML.NET's anomaly outputs
/// <c>Score</c> (float, higher = more anomalous) and <c>PredictedLabel</c> (bool, Score &gt; <see cref="Threshold"/>), and
/// <c>ComplexityBitsPerDim</c> (the PNG bits/dim of the input). Immutable; change the threshold with
/// <c>mlContext.AnomalyDetection.ChangeModelThreshold</c>.
/// </summary>
public sealed class GlowAnomalyTransformer : RowToRowTransformerBase, IDisposable
{
    internal const string LoaderKind = "GlowAnomalyTransformer";

    internal GlowAnomalyTransformer(GlowTransformer density, AnomalyScoreKind scoreKind, float threshold)
    {
        Density = density;
        ScoreKind = scoreKind;
        Threshold = threshold;
    }

    /// <summary>The underlying density model (sampling, encoding, training history).</summary>
    public GlowTransformer Density { get; }

    /// <summary>What Score holds.</summary>
    public AnomalyScoreKind ScoreKind { get; }

    /// <summary>Rows with Score above this are predicted anomalous.</summary>
    public float Threshold { get; }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(LoaderKind, 1);
        ctx.Parameters["scoreKind"] = ScoreKind.ToString();
        ctx.Parameters["threshold"] = Threshold;
        ctx.SaveStep(Density);
    }

    /// <summary>Frees the native weights (shared with <see cref="Density"/>).</summary>
    public void Dispose() => Density.Dispose();

    /// <summary>A detector that shares this one's model but flags rows above <paramref name="threshold"/>.</summary>
    internal GlowAnomalyTransformer WithThreshold(float threshold) => new(Density, ScoreKind, threshold);

    internal static GlowAnomalyTransformer Load(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, 1);
        if (!Enum.TryParse<AnomalyScoreKind>(ctx.GetString("scoreKind"), out var kind))
        {
            throw ctx.Error($"unknown score kind '{ctx.GetString("scoreKind")}'");
        }

        var threshold = (float)ctx.GetDouble("threshold");
        var steps = ctx.LoadSteps();
        if (steps is not [GlowTransformer density])
        {
            throw ctx.Error(string.Create(CultureInfo.InvariantCulture, $"expected one nested GlowTransformer step, found {steps.Count}"));
        }

        return new GlowAnomalyTransformer(density, kind, threshold);
    }

    /// <inheritdoc/>
    protected override ColumnMapperBase MakeMapper(DataViewSchema inputSchema) =>
        new GlowScoringMapper(inputSchema, Density.Network, Density.FeatureColumnName, Density.OutputLatent, new AnomalyScoring(ScoreKind, Threshold), Density.ScoringBatchSize);
}
