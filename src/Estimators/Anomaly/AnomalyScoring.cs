using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Estimators.Anomaly;

/// <summary>How an anomaly transformer turns Glow's outputs into <c>Score</c> and <c>PredictedLabel</c>.</summary>
/// <param name="Kind">Which score.</param>
/// <param name="Threshold">Rows with Score above it are predicted anomalous.</param>
internal sealed record AnomalyScoring(AnomalyScoreKind Kind, float Threshold)
{
    /// <summary>The score of one image from its bits/dim and pixels (the complexity term is computed when needed).</summary>
    public static float Compute(AnomalyScoreKind kind, float bitsPerDim, ReadOnlySpan<float> pixels, GlowNetwork network) =>
        kind == AnomalyScoreKind.ComplexityCorrected
            ? bitsPerDim - InputComplexity.BitsPerDim(pixels, network.Channels, network.Height, network.Width)
            : bitsPerDim;
}
