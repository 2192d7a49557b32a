using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>Names and types of the columns the image-conditioned INN reads and adds.</summary>
public static class ImageConditionalInnColumns
{
    /// <summary>log p(x | c) of the 8-bit image given the row's condition image, in nats (bin-centre dequantisation).</summary>
    public const string LogLikelihood = ConditionalInnColumns.LogLikelihood;

    /// <summary>−log₂ p(x | c) per original pixel given the row's condition image.</summary>
    public const string BitsPerDim = ConditionalInnColumns.BitsPerDim;

    /// <summary>A draw of x given the row's condition image (for colorization: the chroma Cb, Cr), pixel values in [0, 255].</summary>
    public const string Sample = "Sample";

    /// <summary>Colorization models only: the condition's lightness recombined with the sampled chroma, planar RGB in [0, 255].</summary>
    public const string Colorized = "Colorized";

    /// <summary>What the condition column must be, as error messages say it.</summary>
    /// <param name="channels">Channels Cc of the condition image.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    public static string ExpectedCondition(int channels, int height, int width) => string.Create(CultureInfo.InvariantCulture,
        $"Vector<Single, {channels}, {height}, {width}> or Vector<Single, {channels * height * width}> (the condition image: planar values in [0, 255] of {channels}×{height}×{width} images, e.g. the gray image from ExtractPixels)");

    internal static DataViewSchema.Column RequireCondition(DataViewSchema schema, string name, int channels, int height, int width) =>
        InputColumns.Require(schema, name, t => GlowColumns.IsPixelVector(t, channels, height, width), ExpectedCondition(channels, height, width));

    internal static SchemaShape.Column RequireCondition(SchemaShape shape, string name, int channels, int height, int width) =>
        InputColumns.Require(shape, name, c => c.Kind == SchemaShape.Column.VectorKind.Vector && c.ItemType == NumberDataViewType.Single && !c.IsKey,
            ExpectedCondition(channels, height, width));

    /// <summary>The added columns: LogLikelihood and BitsPerDim (with the feature column), Sample, and Colorized (colorization models).</summary>
    internal static IEnumerable<DataViewSchema.DetachedColumn> Added(int channels, int height, int width, bool withFeatures, bool colorization)
    {
        if (withFeatures)
        {
            yield return new(LogLikelihood, NumberDataViewType.Single);
            yield return new(BitsPerDim, NumberDataViewType.Single);
        }

        yield return new(Sample, new VectorDataViewType(NumberDataViewType.Single, channels, height, width));
        if (colorization)
        {
            yield return new(Colorized, new VectorDataViewType(NumberDataViewType.Single, 3, height, width));
        }
    }
}
