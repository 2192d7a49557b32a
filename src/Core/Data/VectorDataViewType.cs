using System.Collections.Immutable;

namespace MLNetFlows.Data;

/// <summary>
/// A vector column type: values are <see cref="VBuffer{T}"/> of the item type's raw type. A vector has fixed
/// <see cref="Dimensions"/> (e.g. [784] or [1, 28, 28]); with no dimensions it has variable size.
/// </summary>
public sealed class VectorDataViewType : StructuredDataViewType
{
    /// <summary>Initializes a fixed-size (or, with no dimensions, variable-size) vector type.</summary>
    /// <param name="itemType">The type of the items.</param>
    /// <param name="dimensions">The dimensions, each positive; none for a variable-size vector.</param>
    public VectorDataViewType(PrimitiveDataViewType itemType, params int[] dimensions)
        : base(typeof(VBuffer<>).MakeGenericType(Guard.NotNull(itemType).RawType))
    {
        Guard.NotNull(dimensions);
        long size = dimensions.Length == 0 ? 0 : 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions[i], $"expected positive vector dimensions, got {dimensions[i]} at position {i}");
            }

            size *= dimensions[i];
            if (size > Array.MaxLength)
            {
                throw new ArgumentOutOfRangeException(nameof(dimensions), size, $"expected at most {Array.MaxLength} items, got {string.Join(" × ", dimensions)}");
            }
        }

        ItemType = itemType;
        Dimensions = [.. dimensions];
        Size = (int)size;
    }

    /// <summary>Gets the type of the items.</summary>
    public PrimitiveDataViewType ItemType { get; }

    /// <summary>Gets the dimensions; empty for a variable-size vector.</summary>
    public ImmutableArray<int> Dimensions { get; }

    /// <summary>Gets the number of items, the product of <see cref="Dimensions"/>; 0 for a variable-size vector.</summary>
    public int Size { get; }

    /// <summary>Gets a value indicating whether every value has <see cref="Size"/> items.</summary>
    public bool IsKnownSize => Size > 0;

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) =>
        other is VectorDataViewType v && v.ItemType.Equals(ItemType) && v.Dimensions.SequenceEqual(Dimensions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ItemType, Size, Dimensions.Length);

    /// <inheritdoc/>
    public override string ToString() =>
        IsKnownSize ? $"Vector<{ItemType}, {string.Join(", ", Dimensions)}>" : $"Vector<{ItemType}>";
}
