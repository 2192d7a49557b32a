using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Data;

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

    /// <summary>What the pixel column must be, as error messages say it.</summary>
    /// <param name="channels">Channels C.</param>
    /// <param name="height">Height H.</param>
    /// <param name="width">Width W.</param>
    public static string ExpectedFeatures(int channels, int height, int width) => string.Create(CultureInfo.InvariantCulture,
        $"Vector<Single, {channels}, {height}, {width}> or Vector<Single, {channels * height * width}> (planar pixel values in [0, 255] of {channels}×{height}×{width} images, e.g. from ExtractPixels)");

    /// <summary>Whether <paramref name="type"/> holds C·H·W planar pixels: flat, or with dimensions exactly [C, H, W].</summary>
    internal static bool IsPixelVector(DataViewType type, int channels, int height, int width) =>
        type is VectorDataViewType { ItemType: var item, Size: var size, Dimensions: var dims } && item == NumberDataViewType.Single
        && size == channels * height * width && (dims.Length == 1 || dims.SequenceEqual([channels, height, width]));

    internal static DataViewSchema.Column RequireFeatures(DataViewSchema schema, string name, int channels, int height, int width) =>
        InputColumns.Require(schema, name, t => IsPixelVector(t, channels, height, width), ExpectedFeatures(channels, height, width));

    internal static SchemaShape.Column RequireFeatures(SchemaShape shape, string name, int channels, int height, int width) =>
        InputColumns.Require(shape, name, c => c.Kind == SchemaShape.Column.VectorKind.Vector && c.ItemType == NumberDataViewType.Single && !c.IsKey,
            ExpectedFeatures(channels, height, width));

    /// <summary>The density columns: LogLikelihood, BitsPerDim, LevelBitsPerDim and, when asked, Latent.</summary>
    internal static IEnumerable<DataViewSchema.DetachedColumn> Density(int levels, int latentDimensions, bool latent)
    {
        yield return new(LogLikelihood, NumberDataViewType.Single);
        yield return new(BitsPerDim, NumberDataViewType.Single);
        yield return new(LevelBitsPerDim, new VectorDataViewType(NumberDataViewType.Single, levels));
        if (latent)
        {
            yield return new(Latent, new VectorDataViewType(NumberDataViewType.Single, latentDimensions));
        }
    }

    /// <summary>
    /// The anomaly columns: ComplexityBitsPerDim, then Score and PredictedLabel annotated as ML.NET's anomaly detectors
    /// annotate theirs (ScoreColumnKind "AnomalyDetection", ScoreValueKind "Score" / "PredictedLabel").
    /// </summary>
    internal static IEnumerable<DataViewSchema.DetachedColumn> Anomaly()
    {
        yield return new(ComplexityBitsPerDim, NumberDataViewType.Single);
        yield return new(Score, NumberDataViewType.Single, ScoreAnnotations("Score"));
        yield return new(PredictedLabel, BooleanDataViewType.Instance, ScoreAnnotations("PredictedLabel"));
    }

    private static DataViewSchema.Annotations ScoreAnnotations(string valueKind)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("ScoreColumnKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = "AnomalyDetection".AsMemory());
        builder.Add("ScoreValueKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = valueKind.AsMemory());
        return builder.ToAnnotations();
    }
}
