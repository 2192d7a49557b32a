using Microsoft.ML;

namespace MLNetFlows.OnnxScoring;

/// <summary>Catalog extension methods for scoring exported MLNetFlows models with ONNX Runtime.</summary>
public static class OnnxScoringCatalog
{
    /// <summary>
    /// Scores images with a Glow density model or anomaly detector exported to ONNX (<c>mlnetflows export</c>), in
    /// batches of <paramref name="batchSize"/> rows per ONNX Runtime run, adding the columns the TorchSharp transformer
    /// adds.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelFile">The exported .onnx file.</param>
    /// <param name="featureColumnName">The pixel column; null uses the one the model was trained on (from the file).</param>
    /// <param name="batchSize">Rows per ONNX Runtime run.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads, or null for its default (one per core).</param>
    public static GlowOnnxEstimator ScoreGlowOnnx(this TransformsCatalog catalog, string modelFile, string? featureColumnName = null, int batchSize = 64, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(modelFile);
        return new GlowOnnxEstimator(modelFile, featureColumnName, batchSize, threads);
    }

    /// <summary>
    /// Scores images with a class-conditional INN exported to ONNX (<c>mlnetflows export --model cinn.zip</c>, density
    /// direction), in batches of <paramref name="batchSize"/> rows per ONNX Runtime run, adding the columns the TorchSharp
    /// transformer adds (LogLikelihood and BitsPerDim given the label when the label column is present, Score, PredictedLabel).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelFile">The exported .onnx file.</param>
    /// <param name="featureColumnName">The pixel column; null uses the one the model was trained on (from the file).</param>
    /// <param name="labelColumnName">The label column (Key&lt;UInt32, K&gt; or Int32), read when present; null uses the one the model was trained on.</param>
    /// <param name="batchSize">Rows per ONNX Runtime run.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads, or null for its default (one per core).</param>
    public static ConditionalInnOnnxEstimator ScoreConditionalInnOnnx(this TransformsCatalog catalog, string modelFile, string? featureColumnName = null, string? labelColumnName = null, int batchSize = 64, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(modelFile);
        return new ConditionalInnOnnxEstimator(modelFile, featureColumnName, labelColumnName, batchSize, threads);
    }
}
