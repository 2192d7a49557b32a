using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// One column's values for the rows of a batch, one slot per row: filled from an upstream row, read by the mapper of
/// the batch (<see cref="SlotBuffer{TValue}.Values"/>) and served to the cursor's getters. Vector values are copied out
/// (callers own their buffers), so a served value never changes when the next batch is read.
/// </summary>
internal abstract class SlotBuffer
{
    public static SlotBuffer Create(DataViewType type, int size)
    {
        var valueType = type.RawType;
        var bufferType = valueType.IsGenericType && valueType.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(VectorSlots<>).MakeGenericType(valueType.GetGenericArguments()[0])
            : typeof(ValueSlots<>).MakeGenericType(valueType);
        return (SlotBuffer)Activator.CreateInstance(bufferType, size)!;
    }

    /// <summary>The raw type of the column's values.</summary>
    public abstract Type ValueType { get; }

    /// <summary>An action that reads <paramref name="column"/> of <paramref name="row"/>'s current row into a slot.</summary>
    public abstract Action<int> MakeFiller(DataViewRow row, DataViewSchema.Column column);

    /// <summary>A <c>ValueGetter</c> of the column's type that serves the slot <paramref name="slot"/> returns.</summary>
    public abstract Delegate MakeGetter(Func<int> slot);

    /// <summary>Slots of values that can be handed out as they are (numbers, Booleans, text, ids).</summary>
    private sealed class ValueSlots<T>(int size) : SlotBuffer<T>(size)
    {
        public override Action<int> MakeFiller(DataViewRow row, DataViewSchema.Column column)
        {
            var getter = row.GetGetter<T>(column);
            return slot => getter(ref Values[slot]);
        }

        public override Delegate MakeGetter(Func<int> slot) => new ValueGetter<T>((ref T value) => value = Values[slot()]);
    }

    /// <summary>Slots of vectors, copied into the caller's buffer when served.</summary>
    private sealed class VectorSlots<T>(int size) : SlotBuffer<VBuffer<T>>(size)
    {
        public override Action<int> MakeFiller(DataViewRow row, DataViewSchema.Column column)
        {
            var getter = row.GetGetter<VBuffer<T>>(column);
            return slot => getter(ref Values[slot]);
        }

        public override Delegate MakeGetter(Func<int> slot) => new ValueGetter<VBuffer<T>>((ref VBuffer<T> value) => Values[slot()].CopyTo(ref value));
    }
}

/// <summary>A <see cref="SlotBuffer"/> of values of type <typeparamref name="TValue"/>.</summary>
/// <typeparam name="TValue">The column's raw type.</typeparam>
internal abstract class SlotBuffer<TValue>(int size) : SlotBuffer
{
    /// <summary>One value per slot (the rows of the batch being served).</summary>
    public TValue[] Values { get; } = new TValue[size];

    public override Type ValueType => typeof(TValue);
}
