namespace MLNetFlows.Data;

/// <summary>The text column type; values are <see cref="ReadOnlyMemory{T}"/> of <see cref="char"/>, as in ML.NET.</summary>
public sealed class TextDataViewType : PrimitiveDataViewType
{
    private TextDataViewType()
        : base(typeof(ReadOnlyMemory<char>))
    {
    }

    /// <summary>Gets the single instance.</summary>
    public static TextDataViewType Instance { get; } = new();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => "String";
}
