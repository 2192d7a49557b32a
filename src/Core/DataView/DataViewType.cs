namespace MLNetFlows;

/// <summary>
/// The type of a column of an <see cref="IDataView"/>. Each type has a <see cref="RawType"/>: the .NET type of the
/// values that cursor getters produce (e.g. <see cref="float"/> for <c>NumberDataViewType.Single</c>,
/// <c>VBuffer&lt;float&gt;</c> for a vector of singles).
/// </summary>
public abstract class DataViewType : IEquatable<DataViewType>
{
    /// <summary>Initializes a new instance with its raw type.</summary>
    /// <param name="rawType">The .NET type of the values.</param>
    protected DataViewType(Type rawType) => RawType = Guard.NotNull(rawType);

    /// <summary>Gets the .NET type of the values of this column type.</summary>
    public Type RawType { get; }

    /// <inheritdoc/>
    public abstract bool Equals(DataViewType? other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DataViewType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => RawType.GetHashCode();
}

/// <summary>A type whose values are single items (not vectors): numbers, booleans, text, keys.</summary>
public abstract class PrimitiveDataViewType : DataViewType
{
    /// <summary>Initializes a new instance with its raw type.</summary>
    /// <param name="rawType">The .NET type of the values.</param>
    private protected PrimitiveDataViewType(Type rawType)
        : base(rawType)
    {
    }
}

/// <summary>
/// A type whose values are reference objects that are neither vectors nor primitives (e.g. images).
/// </summary>
public abstract class StructuredDataViewType : DataViewType
{
    /// <summary>Initializes a new instance with its raw type.</summary>
    /// <param name="rawType">The .NET type of the values.</param>
    protected StructuredDataViewType(Type rawType)
        : base(rawType)
    {
    }
}
