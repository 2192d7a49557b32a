namespace MLNetFlows.Onnx;

/// <summary>Which direction of a conditional INN (class- or image-conditioned) to export.</summary>
public enum ConditionalInnOnnxDirection
{
    /// <summary>
    /// Pixels and the condition → log-likelihood and bits/dim (class-conditional: also every class's log-likelihood, the
    /// posterior and the MAP class).
    /// </summary>
    Density,

    /// <summary>Latent and condition → image.</summary>
    Sample,
}
