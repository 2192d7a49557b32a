namespace MLNetFlows.OnnxScoring;

/// <summary>What an exported detector's <c>Score</c> is (the detector's AnomalyScoreKind).</summary>
public enum GlowOnnxScoreKind
{
    /// <summary>The model's bits/dim; the graph computes Score and PredictedLabel from the pixels alone.</summary>
    BitsPerDim,

    /// <summary>
    /// Bits/dim minus the image's PNG bits/dim (Serrà et al. 2020). PNG compression has no ONNX operator, so the graph
    /// takes the complexity as a second input, <c>ComplexityBitsPerDim</c> [N, 1]; <see cref="GlowOnnxTransformer"/>
    /// computes it as the TorchSharp detector does.
    /// </summary>
    ComplexityCorrected,
}
