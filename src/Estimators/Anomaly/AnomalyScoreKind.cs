namespace MLNetFlows.Estimators.Anomaly;

/// <summary>What a Glow anomaly detector's <c>Score</c> is (higher = more anomalous in every case).</summary>
public enum AnomalyScoreKind
{
    /// <summary>The model's bits/dim, −log₂ P(x) per pixel. Fails on simpler out-of-distribution data (Nalisnick et al. 2019).</summary>
    BitsPerDim,

    /// <summary>Bits/dim minus the PNG bits/dim of the image: Serrà et al. (2020)'s complexity-corrected score S(x).</summary>
    ComplexityCorrected,
}
