using MLNetFlows.Data;

namespace MLNetFlows;

/// <summary>A fixed-size vector column stored as one contiguous row-major block; getters copy one row's slice.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class FlatVectorColumn<T> : IColumnStore
{
    private readonly ReadOnlyMemory<T> _values;
    private readonly int _size;

    public FlatVectorColumn(ReadOnlyMemory<T> values, int size)
    {
        DebugGuard.Assert(size > 0 && values.Length % size == 0, "whole rows");
        _values = values;
        _size = size;
    }

    public int Count => _values.Length / _size;

    public Delegate MakeGetter(Func<int> slot) =>
        (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) =>
        {
            var editor = VBufferEditor.Create(ref value, _size);
            _values.Span.Slice(slot() * _size, _size).CopyTo(editor.Values);
            value = editor.Commit();
        });
}
