namespace MLNetFlows.OnnxScoring;

/// <summary>
/// Input and output names of the class-conditional INN graphs MLNetFlows exports (ConditionalInnOnnxExporter), read by
/// <see cref="ConditionalInnOnnxTransformer"/>. The pixel input is named after
/// the transformer's feature column (<c>Features</c> by default).
/// </summary>
public static class ConditionalInnOnnxNames
{
    /// <summary>Input of both graphs: the class condition, float32 [N, K], one-hot rows (class k ↔ column k).</summary>
    public const string Condition = "Condition";

    /// <summary>Density output: log p(x | c) in nats of the 8-bit image under the condition's class, [N].</summary>
    public const string LogLikelihood = "LogLikelihood";

    /// <summary>Density output: −log₂ p(x | c) per original pixel value under the condition's class, [N].</summary>
    public const string BitsPerDim = "BitsPerDim";

    /// <summary>Density output: log p(x | k) in nats for every class k, [N, K] (does not depend on the condition input).</summary>
    public const string ClassLogLikelihood = "ClassLogLikelihood";

    /// <summary>Density output: the posterior p(k | x) ∝ p(x | k)·p(k), [N, K] (does not depend on the condition input).</summary>
    public const string Score = "Score";

    /// <summary>Density output: the MAP class argmax_k [log p(x | k) + log p(k)] as a 0-based int64 index, [N] (ML.NET's key value − 1).</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>Sampler input: the concatenated latents [N, C·H·W] of the model, finest level first.</summary>
    public const string Latent = "Latent";

    /// <summary>Sampler output: the decoded model-space image [N, C, H, W], about [−½, ½], cropped to the image size.</summary>
    public const string Image = "Image";

    /// <summary>Sampler output: the decoded image quantised to the model's bits, pixel values in [0, 255], [N, C, H, W].</summary>
    public const string Pixels = "Pixels";
}
