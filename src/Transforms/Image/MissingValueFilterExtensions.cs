using MLNetFlows.Data;

namespace MLNetFlows;

/// <summary>Dropping rows with missing values: <c>mlContext.Data.FilterRowsByMissingValues(...)</c>, as in ML.NET.</summary>
public static class MissingValueFilterExtensions
{
    /// <summary>
    /// Keeps the rows that have a value in every listed column: a missing image (one <c>LoadImages</c> could not load)
    /// and NaN in a Single or Double scalar or vector count as missing. Lazy; the row count becomes unknown.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="input">The view.</param>
    /// <param name="columns">Image, Single or Double columns (scalars or vectors).</param>
    /// <returns>The filtered view.</returns>
    /// <exception cref="SchemaMismatchException">A column is missing or of another type.</exception>
    public static IDataView FilterRowsByMissingValues(this DataOperationsCatalog catalog, IDataView input, params string[] columns)
    {
        Guard.NotNull(catalog);
        Guard.NotNull(input);
        Guard.NotNull(columns);
        Guard.IsTrue(columns.Length > 0, "at least one column", "none", nameof(columns));
        const string expected = "an image, or a Single or Double scalar or vector";
        DataViewSchema.Column[] filtered = [.. columns.Select(n => InputColumns.Require(input.Schema, n, t =>
            t is ImageDataViewType || InputColumns.ItemTypeOf(t) == NumberDataViewType.Single || InputColumns.ItemTypeOf(t) == NumberDataViewType.Double, expected))];
        return new RowFilterDataView(input, filtered, cursor =>
        {
            Func<bool>[] present = [.. filtered.Select(c => HasValue(cursor, c))];
            return () => present.All(p => p());
        }, canShuffle: true);
    }

    private static Func<bool> HasValue(DataViewRow row, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case ImageDataViewType:
            {
                ValueGetter<MLImage> get = row.GetGetter<MLImage>(column);
                MLImage image = null!;
                return () =>
                {
                    get(ref image);
                    return image is not null;
                };
            }

            case VectorDataViewType v when v.ItemType == NumberDataViewType.Single:
                return Vector<float>(row, column, float.IsNaN);
            case VectorDataViewType:
                return Vector<double>(row, column, double.IsNaN);
            default:
                return column.Type == NumberDataViewType.Single ? Scalar<float>(row, column, float.IsNaN) : Scalar<double>(row, column, double.IsNaN);
        }
    }

    private static Func<bool> Scalar<T>(DataViewRow row, DataViewSchema.Column column, Func<T, bool> isMissing)
    {
        ValueGetter<T> get = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            get(ref value);
            return !isMissing(value);
        };
    }

    private static Func<bool> Vector<T>(DataViewRow row, DataViewSchema.Column column, Func<T, bool> isMissing)
    {
        ValueGetter<VBuffer<T>> get = row.GetGetter<VBuffer<T>>(column);
        VBuffer<T> value = default;
        return () =>
        {
            get(ref value);
            foreach (T item in value.GetValues())
            {
                if (isMissing(item))
                {
                    return false;
                }
            }

            return true;
        };
    }
}
