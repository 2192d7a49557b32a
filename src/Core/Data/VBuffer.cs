namespace MLNetFlows.Data;

/// <summary>
/// A dense vector value of a <see cref="VectorDataViewType"/> column: <see cref="Length"/> items. The backing
/// array may be longer than <see cref="Length"/> so that getters can reuse it across rows (see
/// <see cref="VBufferEditor"/>). Values obtained from a getter must not be modified.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public readonly struct VBuffer<T>
{
    private readonly T[]? _values;

    /// <summary>Initializes a dense vector over the first <paramref name="length"/> items of <paramref name="values"/> (not copied).</summary>
    /// <param name="length">The number of items.</param>
    /// <param name="values">The items; at least <paramref name="length"/> long.</param>
    public VBuffer(int length, T[] values)
    {
        Guard.NotNull(values);
        if ((uint)length > (uint)values.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"expected a length in [0, {values.Length}] (the values' length), got {length}");
        }

        Length = length;
        _values = values;
    }

    /// <summary>Gets the number of items.</summary>
    public int Length { get; }

    /// <summary>Gets a value indicating whether every item is stored explicitly (always true: only dense vectors exist here).</summary>
    public bool IsDense => true;

    /// <summary>Gets the items.</summary>
    /// <returns>A span of <see cref="Length"/> items.</returns>
    public ReadOnlySpan<T> GetValues() => _values is null ? default : new ReadOnlySpan<T>(_values, 0, Length);

    /// <summary>Enumerates the items.</summary>
    /// <returns>The <see cref="Length"/> items in order.</returns>
    public IEnumerable<T> DenseValues()
    {
        for (int i = 0; i < Length; i++)
        {
            yield return _values![i];
        }
    }

    /// <summary>Gets the item at <paramref name="index"/>.</summary>
    /// <param name="index">The index, in [0, <see cref="Length"/>).</param>
    /// <returns>The item.</returns>
    public T GetItemOrDefault(int index)
    {
        if ((uint)index >= (uint)Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"expected an index in [0, {Length}), got {index}");
        }

        return _values![index];
    }

    /// <summary>Copies the items into <paramref name="destination"/>.</summary>
    /// <param name="destination">A span at least <see cref="Length"/> long.</param>
    public void CopyTo(Span<T> destination) => GetValues().CopyTo(destination);

    /// <summary>Gets the backing array (possibly longer than <see cref="Length"/>), or null for a default value.</summary>
    internal T[]? Buffer => _values;

    /// <inheritdoc/>
    public override string ToString() => $"VBuffer<{typeof(T).Name}>[{Length}]";
}
