using MLNetFlows.Transforms;

namespace MLNetFlows;

/// <summary>Column transforms of <c>mlContext.Transforms</c>, as in ML.NET.</summary>
public static class TransformExtensionsCatalog
{
    /// <summary>Copies <paramref name="inputColumnName"/> to <paramref name="outputColumnName"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The new column.</param>
    /// <param name="inputColumnName">The copied column.</param>
    /// <returns>The estimator.</returns>
    public static ColumnCopyingEstimator CopyColumns(this TransformsCatalog catalog, string outputColumnName, string inputColumnName) =>
        CopyColumns(catalog, [new InputOutputColumnPair(outputColumnName, inputColumnName)]);

    /// <summary>Copies several columns.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="columns">The output/input pairs.</param>
    /// <returns>The estimator.</returns>
    public static ColumnCopyingEstimator CopyColumns(this TransformsCatalog catalog, InputOutputColumnPair[] columns)
    {
        Guard.NotNull(catalog);
        return new ColumnCopyingEstimator(Guard.NotNull(columns));
    }

    /// <summary>Concatenates scalar and vector columns of one item type into a vector column.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The new column.</param>
    /// <param name="inputColumnNames">The columns to concatenate, in order.</param>
    /// <returns>The estimator.</returns>
    public static ColumnConcatenatingEstimator Concatenate(this TransformsCatalog catalog, string outputColumnName, params string[] inputColumnNames)
    {
        Guard.NotNull(catalog);
        return new ColumnConcatenatingEstimator(outputColumnName, inputColumnNames);
    }
}
