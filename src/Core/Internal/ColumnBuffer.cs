namespace MLNetFlows;

/// <summary>
/// A growable in-memory store of the values of one column, filled from a row and read back through getters.
/// Used by the cache, the in-memory views and the batched mapper. Values are deep-copied in and out.
/// </summary>
internal abstract class ColumnBuffer : IColumnStore
{
    public abstract int Count { get; }

    public static ColumnBuffer Create(DataViewType type, int capacity = 0) =>
        (ColumnBuffer)Activator.CreateInstance(typeof(ColumnBuffer<>).MakeGenericType(type.RawType), capacity)!;

    /// <summary>Returns an action that stores the row's current value of <paramref name="column"/> at a slot.</summary>
    public abstract Action<int> MakeFiller(DataViewRow row, DataViewSchema.Column column);

    /// <summary>Returns an action that appends the row's current value of <paramref name="column"/>.</summary>
    public abstract Action MakeAppender(DataViewRow row, DataViewSchema.Column column);

    /// <summary>Returns a <see cref="ValueGetter{TValue}"/> that reads the slot given by <paramref name="slot"/>.</summary>
    public abstract Delegate MakeGetter(Func<int> slot);

    /// <summary>Sets the slot count used by <see cref="MakeFiller"/>, growing storage as needed.</summary>
    public abstract void EnsureSlots(int count);
}

/// <summary>The typed <see cref="ColumnBuffer"/>.</summary>
/// <typeparam name="T">The column's raw type.</typeparam>
internal sealed class ColumnBuffer<T> : ColumnBuffer
{
    private T[] _values;
    private int _count;

    public ColumnBuffer(int capacity) => _values = capacity == 0 ? [] : new T[capacity];

    public override int Count => _count;

    /// <summary>Gets the stored values (only the first <see cref="Count"/> are meaningful).</summary>
    public ReadOnlySpan<T> Values => new(_values, 0, _count);

    /// <summary>Gets a writable view of the first <paramref name="count"/> slots (used by batched mappers for outputs).</summary>
    public Span<T> Writable(int count)
    {
        EnsureSlots(count);
        return new Span<T>(_values, 0, count);
    }

    public void Add(T value)
    {
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, Math.Max(16, _values.Length * 2));
        }

        _values[_count++] = ValueCopier<T>.Clone(value);
    }

    public override void EnsureSlots(int count)
    {
        if (_values.Length < count)
        {
            Array.Resize(ref _values, count);
        }

        _count = count;
    }

    public override Action<int> MakeFiller(DataViewRow row, DataViewSchema.Column column)
    {
        ValueGetter<T> getter = row.GetGetter<T>(column);
        T scratch = default!;
        return slot =>
        {
            // Each slot owns its vector array (reused from batch to batch); readers only ever receive copies.
            getter(ref scratch);
            ValueCopier<T>.Copy(in scratch, ref _values[slot]);
        };
    }

    public override Action MakeAppender(DataViewRow row, DataViewSchema.Column column)
    {
        ValueGetter<T> getter = row.GetGetter<T>(column);
        T scratch = default!;
        return () =>
        {
            getter(ref scratch);
            Add(scratch);
        };
    }

    public override Delegate MakeGetter(Func<int> slot) =>
        (ValueGetter<T>)((ref T value) => ValueCopier<T>.Copy(in _values[slot()], ref value));
}
