namespace MLNetFlows.Onnx;

/// <summary>Which direction of a class-conditional INN to export.</summary>
public enum ConditionalInnOnnxDirection
{
    /// <summary>Pixels (and a class condition) → log-likelihood, bits/dim, every class's log-likelihood, posterior and MAP class.</summary>
    Density,

    /// <summary>Latent and class condition → image.</summary>
    Sample,
}
