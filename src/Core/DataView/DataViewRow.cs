namespace MLNetFlows;

/// <summary>
/// One row of an <see cref="IDataView"/>: typed getters over its active columns. <see cref="GetGetter{TValue}"/>
/// validates the request (column of this schema, active, requested type equal to the column's raw type) and then
/// delegates to <see cref="GetGetterCore{TValue}"/>.
/// </summary>
public abstract class DataViewRow : IDisposable
{
    /// <summary>Gets the zero-based index of the current row within this cursor's pass, or -1 before the first row.</summary>
    public abstract long Position { get; }

    /// <summary>Gets the batch index of this cursor within a parallel cursor set (always 0 here).</summary>
    public virtual long Batch => 0;

    /// <summary>Gets the schema of the row.</summary>
    public abstract DataViewSchema Schema { get; }

    /// <summary>Gets a value indicating whether the getters are usable, i.e. the cursor is on a row.</summary>
    protected virtual bool IsOnRow => true;

    /// <summary>Gets a value indicating whether <paramref name="column"/> was requested when the cursor was created.</summary>
    /// <param name="column">A column of <see cref="Schema"/>.</param>
    /// <returns>True when active.</returns>
    public abstract bool IsColumnActive(DataViewSchema.Column column);

    /// <summary>Gets a getter for an active column. Call it once per cursor, then invoke it on every row.</summary>
    /// <typeparam name="TValue">The column's raw type (<see cref="DataViewType.RawType"/>).</typeparam>
    /// <param name="column">A column of <see cref="Schema"/>.</param>
    /// <returns>A getter that reads the current row's value.</returns>
    /// <exception cref="ArgumentException">The column is not from this schema.</exception>
    /// <exception cref="InvalidOperationException">The column is inactive or <typeparamref name="TValue"/> is not its raw type.</exception>
    public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        CheckColumn(Schema, column);
        if (!IsColumnActive(column))
        {
            throw new InvalidOperationException(
                $"Column '{column.Name}' is not active in this cursor: pass it in columnsNeeded when creating the cursor.");
        }

        if (typeof(TValue) != column.Type.RawType)
        {
            throw new InvalidOperationException(
                $"Column '{column.Name}' has type {column.Type}, requested {TypeNames.Of(typeof(TValue))} (expected {TypeNames.Of(column.Type.RawType)}).");
        }

        ValueGetter<TValue> getter = GetGetterCore<TValue>(column);
        return (ref TValue value) =>
        {
            if (!IsOnRow)
            {
                ThrowHelper.ThrowInvalidOperation($"Cannot read column '{column.Name}': the cursor is not on a row (call MoveNext first, and not after it returned false).");
            }

            getter(ref value);
        };
    }

    /// <summary>Creates the getter for a validated, active column whose raw type is <typeparamref name="TValue"/>.</summary>
    /// <typeparam name="TValue">The column's raw type.</typeparam>
    /// <param name="column">The column.</param>
    /// <returns>The getter.</returns>
    protected abstract ValueGetter<TValue> GetGetterCore<TValue>(DataViewSchema.Column column);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources (e.g. an underlying cursor).</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    internal static void CheckColumn(DataViewSchema schema, DataViewSchema.Column column)
    {
        if ((uint)column.Index >= (uint)schema.Count || schema[column.Index].Name != column.Name || !schema[column.Index].Type.Equals(column.Type))
        {
            throw new ArgumentException($"Column '{column.Name}' (index {column.Index}, {column.Type}) does not belong to this schema ({schema.Describe()}).", nameof(column));
        }
    }
}
