using MLNetFlows.Data;

namespace MLNetFlows.Estimators.Glow;

/// <summary>Names and types of the columns Glow transformers read and add.</summary>
public static class GlowColumns
{
    /// <summary>log P(x) of the 8-bit image in nats (higher = more likely), with bin-centre dequantisation.</summary>
    public const string LogLikelihood = "LogLikelihood";

    /// <summary>−log₂ P(x) per original pixel (openai/glow's bits/dim; lower = more likely).</summary>
    public const string BitsPerDim = "BitsPerDim";

    /// <summary>Bits/dim of each level's latent, per dimension of that latent, finest level first (Schirrmeister et al. 2020).</summary>
    public const string LevelBitsPerDim = "LevelBitsPerDim";

    /// <summary>The concatenated latents of all levels (optional output).</summary>
    public const string Latent = "Latent";

    /// <summary>Anomaly score (higher = more anomalous), as ML.NET's anomaly detectors name it.</summary>
    public const string Score = "Score";

    /// <summary>Whether the score exceeds the threshold, as ML.NET's anomaly detectors name it.</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>Input-complexity term of Serrà et al. (2020): PNG-compressed bits per original pixel.</summary>
    public const string ComplexityBitsPerDim = "ComplexityBitsPerDim";

    internal static string ExpectedFeatures(int channels, int height, int width) =>
        $"Vector<Single, {channels * height * width}> (pixel values in [0, 255] of {channels}×{height}×{width} images, e.g. from ExtractPixels)";

    internal static DataViewSchema.Column RequireFeatures(DataViewSchema schema, string name, int channels, int height, int width) =>
        InputColumns.Require(schema, name, t => t is VectorDataViewType { ItemType: NumberDataViewType n, Size: var size } && n.Equals(NumberDataViewType.Single) && size == channels * height * width,
            ExpectedFeatures(channels, height, width));

    internal static SchemaShape.Column RequireFeatures(SchemaShape shape, string name, int channels, int height, int width) =>
        InputColumns.Require(shape, name, c => c.Kind == SchemaShape.Column.VectorKind.Vector && c.ItemType.Equals(NumberDataViewType.Single) && !c.IsKey,
            ExpectedFeatures(channels, height, width));

    internal static IEnumerable<SchemaShape.Column> DensityShape(bool latent)
    {
        yield return new(LogLikelihood, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false);
        yield return new(BitsPerDim, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false);
        yield return new(LevelBitsPerDim, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        if (latent)
        {
            yield return new(Latent, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        }
    }

    internal static IEnumerable<SchemaShape.Column> AnomalyShape()
    {
        yield return new(ComplexityBitsPerDim, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false);
        yield return new(Score, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false);
        yield return new(PredictedLabel, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false);
    }
}
