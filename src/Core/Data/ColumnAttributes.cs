namespace MLNetFlows.Data;

/// <summary>Names the column a field or property maps to (default: the member name).</summary>
/// <param name="name">The column name.</param>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ColumnNameAttribute(string name) : Attribute
{
    /// <summary>Gets the column name.</summary>
    public string Name { get; } = Guard.NotNullOrEmpty(name);
}

/// <summary>Declares an array or <see cref="VBuffer{T}"/> member as a vector column of fixed dimensions (none: variable size).</summary>
/// <param name="dimensions">The dimensions.</param>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class VectorTypeAttribute(params int[] dimensions) : Attribute
{
    /// <summary>Gets the dimensions.</summary>
    public IReadOnlyList<int> Dimensions { get; } = [.. Guard.NotNull(dimensions)];
}

/// <summary>Declares a <see cref="uint"/> member as a key column with <paramref name="count"/> categories.</summary>
/// <param name="count">The number of categories.</param>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class KeyTypeAttribute(ulong count) : Attribute
{
    /// <summary>Gets the number of categories.</summary>
    public ulong Count { get; } = count;
}

/// <summary>Declares the fixed size of an <see cref="MLImage"/> member's images.</summary>
/// <param name="height">The height in pixels.</param>
/// <param name="width">The width in pixels.</param>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ImageTypeAttribute(int height, int width) : Attribute
{
    /// <summary>Gets the height.</summary>
    public int Height { get; } = height;

    /// <summary>Gets the width.</summary>
    public int Width { get; } = width;
}

/// <summary>Declares the text-file field(s) a member is read from (a vector spans [start, end]).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class LoadColumnAttribute : Attribute
{
    /// <summary>Reads the member from field <paramref name="fieldIndex"/>.</summary>
    /// <param name="fieldIndex">The zero-based field index.</param>
    public LoadColumnAttribute(int fieldIndex)
        : this(fieldIndex, fieldIndex)
    {
    }

    /// <summary>Reads a vector member from fields <paramref name="start"/> to <paramref name="end"/> inclusive.</summary>
    /// <param name="start">The first field index.</param>
    /// <param name="end">The last field index.</param>
    public LoadColumnAttribute(int start, int end)
    {
        Guard.MustBeGreaterThanOrEqualTo(start, 0);
        Guard.MustBeGreaterThanOrEqualTo(end, start);
        Start = start;
        End = end;
    }

    /// <summary>Gets the first field index.</summary>
    public int Start { get; }

    /// <summary>Gets the last field index.</summary>
    public int End { get; }
}

/// <summary>Excludes a member from the columns.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class NoColumnAttribute : Attribute
{
}
