namespace MLNetFlows.OnnxScoring;

/// <summary>
/// Names of the inputs and outputs of exported Glow graphs. The density graph's input is named after the exported
/// transformer's feature column, so <c>ApplyOnnxModel(modelFile)</c> reads the same column; its outputs carry the names
/// of GlowTransformer's columns.
/// </summary>
public static class GlowOnnxNames
{
    /// <summary>log P(x) in nats [N].</summary>
    public const string LogLikelihood = "LogLikelihood";

    /// <summary>Bits per original pixel [N].</summary>
    public const string BitsPerDim = "BitsPerDim";

    /// <summary>Bits/dim of each level's latent [N, L].</summary>
    public const string LevelBitsPerDim = "LevelBitsPerDim";

    /// <summary>The concatenated latents [N, D]: a density graph's optional output, the sampler's input.</summary>
    public const string Latent = "Latent";

    /// <summary>Anomaly score [N] (detectors only).</summary>
    public const string Score = "Score";

    /// <summary>
    /// PNG bits per original pixel: an output column [N] of the batched scorer for detectors, and the second graph input [N, 1]
    /// of complexity-corrected detectors.
    /// </summary>
    public const string ComplexityBitsPerDim = "ComplexityBitsPerDim";

    /// <summary>Score &gt; threshold [N], Boolean (detectors only).</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>The sampler's model-space output x̃ [N, C, H, W] (continuous, about [−½, ½]).</summary>
    public const string Image = "Image";

    /// <summary>The sampler's output quantised to the model's bits, as pixel values in [0, 255] [N, C, H, W].</summary>
    public const string Pixels = "Pixels";
}
