namespace MLNetFlows.OnnxScoring;

/// <summary>What an exported class-conditional INN file computes.</summary>
public enum ConditionalInnOnnxKind
{
    /// <summary>Pixels and a class condition → LogLikelihood, BitsPerDim, ClassLogLikelihood, Score, PredictedLabel.</summary>
    Density,

    /// <summary>Latent and class condition → Image and Pixels (the decoder).</summary>
    Sampler,
}
