namespace MLNetFlows;

public sealed partial class DataViewSchema
{
    /// <summary>One column of a schema.</summary>
    public readonly struct Column : IEquatable<Column>
    {
        internal Column(string name, int index, bool isHidden, DataViewType type, Annotations annotations)
        {
            Name = name;
            Index = index;
            IsHidden = isHidden;
            Type = type;
            Annotations = annotations;
        }

        /// <summary>Gets the column name.</summary>
        public string Name { get; }

        /// <summary>Gets the column's position in its schema.</summary>
        public int Index { get; }

        /// <summary>Gets a value indicating whether a later column with the same name hides this one.</summary>
        public bool IsHidden { get; }

        /// <summary>Gets the column type.</summary>
        public DataViewType Type { get; }

        /// <summary>Gets the column's annotations (e.g. the names of a key column's categories).</summary>
        public Annotations Annotations { get; }

        /// <inheritdoc/>
        public bool Equals(Column other) =>
            Name == other.Name && Index == other.Index && IsHidden == other.IsHidden && Equals(Type, other.Type);

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is Column other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(Name, Index, Type);

        /// <summary>Compares two columns.</summary>
        /// <param name="left">The first column.</param>
        /// <param name="right">The second column.</param>
        /// <returns>True when equal.</returns>
        public static bool operator ==(Column left, Column right) => left.Equals(right);

        /// <summary>Compares two columns.</summary>
        /// <param name="left">The first column.</param>
        /// <param name="right">The second column.</param>
        /// <returns>True when different.</returns>
        public static bool operator !=(Column left, Column right) => !left.Equals(right);

        /// <inheritdoc/>
        public override string ToString() => $"{Name}: {Type}{(IsHidden ? " (hidden)" : string.Empty)}";
    }

    /// <summary>A column not attached to any schema: the description of a column a transformer adds.</summary>
    public readonly struct DetachedColumn
    {
        /// <summary>Initializes a detached column.</summary>
        /// <param name="name">The column name.</param>
        /// <param name="type">The column type.</param>
        /// <param name="annotations">The annotations, or null for none.</param>
        public DetachedColumn(string name, DataViewType type, Annotations? annotations = null)
        {
            Name = Guard.NotNullOrEmpty(name);
            Type = Guard.NotNull(type);
            Annotations = annotations ?? Annotations.Empty;
        }

        /// <summary>Initializes a detached copy of <paramref name="column"/>.</summary>
        /// <param name="column">The column to copy.</param>
        public DetachedColumn(Column column)
            : this(column.Name, column.Type, column.Annotations)
        {
        }

        /// <summary>Gets the column name.</summary>
        public string Name { get; }

        /// <summary>Gets the column type.</summary>
        public DataViewType Type { get; }

        /// <summary>Gets the annotations.</summary>
        public Annotations Annotations { get; }
    }
}
