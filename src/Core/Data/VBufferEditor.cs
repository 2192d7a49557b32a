namespace MLNetFlows.Data;

/// <summary>
/// Writes a <see cref="VBuffer{T}"/> in place, reusing the destination's backing array when it is large enough:
/// <c>var editor = VBufferEditor.Create(ref dst, n); fill editor.Values; dst = editor.Commit();</c>
/// </summary>
public static class VBufferEditor
{
    /// <summary>Creates an editor for a vector of <paramref name="length"/> items.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="destination">The vector whose backing array may be reused.</param>
    /// <param name="length">The new length.</param>
    /// <returns>An editor whose <see cref="VBufferEditor{T}.Values"/> has <paramref name="length"/> items.</returns>
    public static VBufferEditor<T> Create<T>(ref VBuffer<T> destination, int length)
    {
        Guard.MustBeGreaterThanOrEqualTo(length, 0);
        T[]? buffer = destination.Buffer;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new T[length];
        }

        return new VBufferEditor<T>(buffer, length);
    }
}

/// <summary>An in-progress edit of a <see cref="VBuffer{T}"/>, created by <see cref="VBufferEditor.Create{T}"/>.</summary>
/// <typeparam name="T">The item type.</typeparam>
public readonly ref struct VBufferEditor<T>
{
    private readonly T[] _buffer;
    private readonly int _length;

    internal VBufferEditor(T[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>Gets the items to write.</summary>
    public Span<T> Values => new(_buffer, 0, _length);

    /// <summary>Finishes the edit.</summary>
    /// <returns>The edited vector.</returns>
    public VBuffer<T> Commit() => new(_length, _buffer);
}
