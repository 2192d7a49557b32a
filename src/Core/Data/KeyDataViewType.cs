namespace MLNetFlows.Data;

/// <summary>
/// A key (categorical) column type with <see cref="Count"/> categories, stored as <see cref="uint"/>.
/// As in ML.NET, the raw value 0 means "missing" and the categories are 1 … <see cref="Count"/>.
/// </summary>
public sealed class KeyDataViewType : PrimitiveDataViewType
{
    /// <summary>Initializes a new key type.</summary>
    /// <param name="type">The raw type; only <see cref="uint"/> is supported.</param>
    /// <param name="count">The number of categories; must be positive and fit in the raw type.</param>
    public KeyDataViewType(Type type, ulong count)
        : base(CheckRawType(type))
    {
        if (count == 0 || count > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"expected a key count in [1, {uint.MaxValue}], got {count}");
        }

        Count = count;
    }

    /// <summary>Gets the number of categories.</summary>
    public ulong Count { get; }

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => other is KeyDataViewType key && key.Count == Count;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(RawType, Count);

    /// <inheritdoc/>
    public override string ToString() => $"Key<UInt32, 0-{Count - 1}>";

    private static Type CheckRawType(Type type)
    {
        Guard.NotNull(type);
        Guard.IsTrue(type == typeof(uint), "raw key type UInt32", type.Name, nameof(type));
        return type;
    }
}
