namespace MLNetFlows.OnnxScoring;

/// <summary>What an exported Glow file computes.</summary>
public enum GlowOnnxKind
{
    /// <summary>Pixels → LogLikelihood, BitsPerDim, LevelBitsPerDim (and Latent).</summary>
    Density,

    /// <summary>The density outputs plus Score and PredictedLabel of an anomaly detector.</summary>
    Anomaly,

    /// <summary>Latent → Image and Pixels (the decoder).</summary>
    Sampler,
}
