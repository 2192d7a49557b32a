namespace MLNetFlows.Data;

/// <summary>
/// Builds an in-memory <see cref="IDataView"/> from arrays, column by column (dataset loaders use it). The view
/// knows its row count, can shuffle, and is safe to cursor from several threads. The arrays are not copied and
/// must not be modified afterwards.
/// </summary>
public sealed class ArrayDataViewBuilder
{
    private readonly List<DataViewSchema.DetachedColumn> _columns = [];
    private readonly List<IColumnStore> _stores = [];

    /// <summary>Adds a scalar column (numbers, booleans, text, keys or images).</summary>
    /// <typeparam name="T">The raw type of <paramref name="type"/>.</typeparam>
    /// <param name="name">The column name.</param>
    /// <param name="type">The column type.</param>
    /// <param name="values">One value per row.</param>
    /// <param name="annotations">The column's annotations, or null.</param>
    /// <returns>This builder.</returns>
    public ArrayDataViewBuilder AddColumn<T>(string name, DataViewType type, T[] values, DataViewSchema.Annotations? annotations = null)
    {
        Guard.NotNull(type);
        Guard.NotNull(values);
        Guard.IsTrue(type is not VectorDataViewType, "a scalar column type (use AddVectorColumn for vectors)", $"{type}", nameof(type));
        Guard.IsTrue(type.RawType == typeof(T), $"values of {TypeNames.Of(type.RawType)} for type {type}", TypeNames.Of(typeof(T)), nameof(values));
        var buffer = new ColumnBuffer<T>(values.Length);
        foreach (T value in values)
        {
            buffer.Add(value);
        }

        return Add(new DataViewSchema.DetachedColumn(name, type, annotations), buffer);
    }

    /// <summary>Adds a fixed-size vector column stored row-major in one block.</summary>
    /// <typeparam name="T">The item raw type.</typeparam>
    /// <param name="name">The column name.</param>
    /// <param name="type">The vector type; must have a known size.</param>
    /// <param name="values">Rows × <see cref="VectorDataViewType.Size"/> items, row after row.</param>
    /// <returns>This builder.</returns>
    public ArrayDataViewBuilder AddVectorColumn<T>(string name, VectorDataViewType type, ReadOnlyMemory<T> values)
    {
        Guard.NotNull(type);
        Guard.IsTrue(type.IsKnownSize, "a vector type of known size", $"{type}", nameof(type));
        Guard.IsTrue(type.ItemType.RawType == typeof(T), $"items of {TypeNames.Of(type.ItemType.RawType)}", TypeNames.Of(typeof(T)), nameof(values));
        Guard.IsTrue(values.Length % type.Size == 0, $"a multiple of {type.Size} items", values.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), nameof(values));
        return Add(new DataViewSchema.DetachedColumn(name, type), new FlatVectorColumn<T>(values, type.Size));
    }

    /// <summary>Creates the view.</summary>
    /// <returns>The data view.</returns>
    /// <exception cref="InvalidOperationException">Columns have different row counts.</exception>
    public IDataView GetDataView()
    {
        int rows = _stores.Count == 0 ? 0 : _stores[0].Count;
        for (int i = 1; i < _stores.Count; i++)
        {
            if (_stores[i].Count != rows)
            {
                throw new InvalidOperationException($"Column '{_columns[i].Name}' has {_stores[i].Count} rows, expected {rows} like column '{_columns[0].Name}'.");
            }
        }

        return new InMemoryDataView(DataViewSchema.Create(_columns), [.. _stores], rows);
    }

    private ArrayDataViewBuilder Add(DataViewSchema.DetachedColumn column, IColumnStore store)
    {
        _columns.Add(column);
        _stores.Add(store);
        return this;
    }
}
