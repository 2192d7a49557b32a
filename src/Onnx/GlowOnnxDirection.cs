namespace MLNetFlows.Onnx;

/// <summary>Which direction of a Glow to export.</summary>
public enum GlowOnnxDirection
{
    /// <summary>Pixels → log-likelihood, bits/dim, per-level bits/dim (and the detector's score and label).</summary>
    Density,

    /// <summary>Latent → image: the decoder that turns latents (e.g. drawn from the priors, or a Latent column) into images.</summary>
    Sample,
}
