namespace MLNetFlows.Data;

/// <summary>The boolean column type; values are <see cref="bool"/>.</summary>
public sealed class BooleanDataViewType : PrimitiveDataViewType
{
    private BooleanDataViewType()
        : base(typeof(bool))
    {
    }

    /// <summary>Gets the single instance.</summary>
    public static BooleanDataViewType Instance { get; } = new();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => "Boolean";
}
