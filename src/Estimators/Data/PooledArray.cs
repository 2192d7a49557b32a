using System.Buffers;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// A buffer of <see cref="Length"/> values rented from <see cref="ArrayPool{T}.Shared"/> for one batch and returned on
/// <see cref="Dispose"/>. Batch mappers hold their pixel buffers in these: a fresh array per batch of 64 images or more
/// lands on the large-object heap, which only full collections free, so a long scoring job's managed heap would swing
/// by tens of megabytes between them. The contents start undefined: write every value before reading it.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly struct PooledArray<T> : IDisposable
{
    private readonly T[] _array;

    /// <summary>Rents a buffer of at least <paramref name="length"/> values; <see cref="Span"/> has exactly that many.</summary>
    public PooledArray(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _array = ArrayPool<T>.Shared.Rent(length);
        Length = length;
    }

    /// <summary>The number of values the batch uses.</summary>
    public int Length { get; }

    /// <summary>The batch's values.</summary>
    public Span<T> Span => _array.AsSpan(0, Length);

    /// <summary>The rented array (it may be longer than <see cref="Length"/>), for code that cannot hold a span, such as lambdas run on other threads.</summary>
    public T[] Array => _array;

    /// <summary>Returns the buffer to the pool; the struct must not be used afterwards.</summary>
    public void Dispose() => ArrayPool<T>.Shared.Return(_array);
}
