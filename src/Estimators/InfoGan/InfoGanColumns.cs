using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Models.InfoGan;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>Names and types of the columns the InfoGAN transformer reads and adds.</summary>
public static class InfoGanColumns
{
    /// <summary>The class Q infers for the (first) categorical code: a key 1 … K (ML.NET keys count from 1; 0 is missing).</summary>
    public const string Category = "Category";

    /// <summary>Suffix of the probability-vector column of a categorical code (<c>CategoryProbabilities</c>).</summary>
    public const string ProbabilitiesSuffix = "Probabilities";

    /// <summary>The means Q infers for the continuous codes.</summary>
    public const string Continuous = "Continuous";

    /// <summary>The key column of categorical code <paramref name="code"/>: <c>Category</c>, then <c>Category1</c>, <c>Category2</c>, ….</summary>
    /// <param name="code">0-based index of the categorical code.</param>
    public static string CategoryOf(int code) => code == 0 ? Category : string.Create(CultureInfo.InvariantCulture, $"{Category}{code}");

    /// <summary>What the pixel column must be, as error messages say it.</summary>
    /// <param name="channels">Channels C.</param>
    /// <param name="height">Height H.</param>
    /// <param name="width">Width W.</param>
    public static string ExpectedFeatures(int channels, int height, int width) => string.Create(CultureInfo.InvariantCulture,
        $"Vector<Single, {channels}, {height}, {width}> or Vector<Single, {channels * height * width}> (planar pixel values in [0, 255] of {channels}×{height}×{width} images, e.g. from ExtractPixels)");

    internal static bool IsPixelVector(DataViewType type, int channels, int height, int width) =>
        type is VectorDataViewType { ItemType: var item, Size: var size, Dimensions: var dims } && item == NumberDataViewType.Single
        && size == channels * height * width && (dims.Length == 1 || dims.SequenceEqual([channels, height, width]));

    internal static DataViewSchema.Column RequireFeatures(DataViewSchema schema, string name, int channels, int height, int width) =>
        InputColumns.Require(schema, name, t => IsPixelVector(t, channels, height, width), ExpectedFeatures(channels, height, width));

    internal static SchemaShape.Column RequireFeatures(SchemaShape shape, string name, int channels, int height, int width) =>
        InputColumns.Require(shape, name, c => c.Kind == SchemaShape.Column.VectorKind.Vector && c.ItemType == NumberDataViewType.Single && !c.IsKey,
            ExpectedFeatures(channels, height, width));

    /// <summary>The inferred-code columns: per categorical code its key and probability vector, then the continuous means.</summary>
    internal static IEnumerable<DataViewSchema.DetachedColumn> Codes(InfoGanArchitecture architecture)
    {
        for (var i = 0; i < architecture.CategoryCounts.Count; i++)
        {
            var k = architecture.CategoryCounts[i];
            yield return new(CategoryOf(i), new KeyDataViewType(typeof(uint), k));
            yield return new(CategoryOf(i) + ProbabilitiesSuffix, new VectorDataViewType(NumberDataViewType.Single, k));
        }

        if (architecture.ContinuousCodes > 0)
        {
            yield return new(Continuous, new VectorDataViewType(NumberDataViewType.Single, architecture.ContinuousCodes));
        }
    }

    /// <summary>Throws an <see cref="InvalidDataException"/> unless <paramref name="values"/> are <paramref name="dims"/> pixel values in [0, 255].</summary>
    internal static void CheckPixels(string column, ReadOnlySpan<float> values, int dims)
    {
        if (values.Length != dims)
        {
            throw new InvalidDataException($"column '{column}' has a row of {values.Length} values, expected {dims}");
        }

        foreach (var v in values)
        {
            if (!(v >= 0 && v <= 255))
            {
                throw new InvalidDataException($"column '{column}' holds the value {v.ToString(CultureInfo.InvariantCulture)}; InfoGAN expects pixel values in [0, 255] (ExtractPixels with offsetImage 0 and scaleImage 1)");
            }
        }
    }

    /// <summary>Copies a row's pixels (dense or sparse) into <paramref name="destination"/> after checking them.</summary>
    internal static void CopyPixels(string column, in VBuffer<float> row, Span<float> destination)
    {
        var dense = row.IsDense ? row.GetValues() : row.DenseValues().ToArray();
        CheckPixels(column, dense, destination.Length);
        dense.CopyTo(destination);
    }
}
