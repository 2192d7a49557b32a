namespace MLNetFlows.Data;

/// <summary>The numeric column types. Each is a singleton: compare with <c>==</c> or <see cref="DataViewType.Equals(DataViewType)"/>.</summary>
public sealed class NumberDataViewType : PrimitiveDataViewType
{
    private readonly string _name;

    private NumberDataViewType(Type rawType, string name)
        : base(rawType) => _name = name;

    /// <summary>Gets the 32-bit floating point type (<see cref="float"/>).</summary>
    public static NumberDataViewType Single { get; } = new(typeof(float), nameof(Single));

    /// <summary>Gets the 64-bit floating point type (<see cref="double"/>).</summary>
    public static NumberDataViewType Double { get; } = new(typeof(double), nameof(Double));

    /// <summary>Gets the signed 32-bit integer type (<see cref="int"/>).</summary>
    public static NumberDataViewType Int32 { get; } = new(typeof(int), nameof(Int32));

    /// <summary>Gets the signed 64-bit integer type (<see cref="long"/>).</summary>
    public static NumberDataViewType Int64 { get; } = new(typeof(long), nameof(Int64));

    /// <summary>Gets the unsigned 8-bit integer type (<see cref="byte"/>).</summary>
    public static NumberDataViewType Byte { get; } = new(typeof(byte), nameof(Byte));

    /// <summary>Gets the unsigned 32-bit integer type (<see cref="uint"/>).</summary>
    public static NumberDataViewType UInt32 { get; } = new(typeof(uint), nameof(UInt32));

    /// <summary>Gets every numeric type.</summary>
    internal static IReadOnlyList<NumberDataViewType> All { get; } = [Single, Double, Int32, Int64, Byte, UInt32];

    /// <summary>Gets the numeric type whose raw type is <paramref name="rawType"/>, or null.</summary>
    internal static NumberDataViewType? FromRawType(Type rawType) => All.FirstOrDefault(t => t.RawType == rawType);

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => _name;
}
