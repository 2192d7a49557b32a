using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// The values of one column for the rows of a batch: one slot per row, owned by the cursor that holds the buffer.
/// Filled from an upstream row (one getter call per row) and served to downstream getters by slot. Vector values are
/// copied in both directions (<see cref="VBuffer{T}.CopyTo(ref VBuffer{T})"/>), so neither the upstream cursor nor a
/// downstream consumer ever shares arrays with a slot; images are copied likewise (<see cref="ImageColumnBuffer"/>);
/// other values (scalars, text) are stored as the upstream getter returns them — ML.NET treats text as immutable.
/// </summary>
internal abstract class ColumnBuffer : IDisposable
{
    /// <summary>A buffer for <paramref name="capacity"/> values of <paramref name="type"/>.</summary>
    /// <param name="type">The column type; its raw type is the buffer's value type.</param>
    /// <param name="capacity">Slots (the batch size).</param>
    public static ColumnBuffer Create(DataViewType type, int capacity)
    {
        ArgumentNullException.ThrowIfNull(type);
        var raw = type.RawType;
        var bufferType = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(VectorColumnBuffer<>).MakeGenericType(raw.GetGenericArguments()[0])
            : raw == typeof(MLImage) ? typeof(ImageColumnBuffer) : typeof(ValueColumnBuffer<>).MakeGenericType(raw);
        return (ColumnBuffer)Activator.CreateInstance(bufferType, capacity)!;
    }

    /// <summary>The value type (the column's raw type).</summary>
    public abstract Type ValueType { get; }

    /// <summary>An action that stores the current value of <paramref name="column"/> in <paramref name="row"/> into a slot.</summary>
    /// <param name="row">The upstream row (a cursor); the getter is made once.</param>
    /// <param name="column">A column of the row's schema whose raw type is <see cref="ValueType"/>.</param>
    public abstract Action<int> MakeFiller(DataViewRow row, DataViewSchema.Column column);

    /// <summary>A <see cref="ValueGetter{TValue}"/> that serves the value of the slot <paramref name="slot"/> returns.</summary>
    /// <param name="slot">The slot of the row being served; throws when no row is being served.</param>
    public abstract Delegate MakeGetter(Func<int> slot);

    /// <summary>Releases what the slots own (nothing, except for images).</summary>
    public virtual void Dispose()
    {
    }
}

/// <summary>A <see cref="ColumnBuffer"/> of values of type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The column's raw type.</typeparam>
internal abstract class ColumnBuffer<T> : ColumnBuffer
{
    protected ColumnBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Values = new T[capacity];
    }

    /// <summary>One value per slot; a batch writes outputs here and reads inputs from here.</summary>
    public T[] Values { get; }

    /// <inheritdoc/>
    public override Type ValueType => typeof(T);
}

/// <summary>Scalars and text: stored and served as the getter returns them.</summary>
/// <typeparam name="T">The column's raw type.</typeparam>
internal sealed class ValueColumnBuffer<T>(int capacity) : ColumnBuffer<T>(capacity)
{
    /// <inheritdoc/>
    public override Action<int> MakeFiller(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<T>(column);
        var values = Values;
        return slot => getter(ref values[slot]);
    }

    /// <inheritdoc/>
    public override Delegate MakeGetter(Func<int> slot)
    {
        var values = Values;
        return (ValueGetter<T>)((ref T value) => value = values[slot()]);
    }
}

/// <summary>Vectors: read into a scratch buffer then copied into the slot; served as a copy into the caller's buffer.</summary>
/// <typeparam name="TItem">The vector's item type.</typeparam>
internal sealed class VectorColumnBuffer<TItem>(int capacity) : ColumnBuffer<VBuffer<TItem>>(capacity)
{
    /// <inheritdoc/>
    public override Action<int> MakeFiller(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<VBuffer<TItem>>(column);
        var values = Values;
        VBuffer<TItem> scratch = default;
        return slot =>
        {
            getter(ref scratch);
            scratch.CopyTo(ref values[slot]);
        };
    }

    /// <inheritdoc/>
    public override Delegate MakeGetter(Func<int> slot)
    {
        var values = Values;
        return (ValueGetter<VBuffer<TItem>>)((ref VBuffer<TItem> value) => values[slot()].CopyTo(ref value));
    }
}
