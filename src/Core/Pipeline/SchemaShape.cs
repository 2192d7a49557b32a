using System.Collections;
using MLNetFlows.Data;

namespace MLNetFlows;

/// <summary>
/// The shape of a schema as estimators see it before any data: per column a name, a <see cref="Column.VectorKind"/>,
/// an item type and whether it is a key. Vector sizes are not part of a shape. Immutable.
/// </summary>
public sealed class SchemaShape : IReadOnlyList<SchemaShape.Column>
{
    private readonly Column[] _columns;

    /// <summary>Initializes a shape; a later column with an existing name replaces the earlier one.</summary>
    /// <param name="columns">The columns.</param>
    public SchemaShape(IEnumerable<Column> columns)
    {
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = new List<Column>();
        foreach (Column column in Guard.NotNull(columns))
        {
            if (byName.TryGetValue(column.Name, out int i))
            {
                list[i] = column;
            }
            else
            {
                byName[column.Name] = list.Count;
                list.Add(column);
            }
        }

        _columns = [.. list];
    }

    /// <summary>Gets the number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>Gets the column at <paramref name="index"/>.</summary>
    /// <param name="index">The index.</param>
    public Column this[int index] => _columns[index];

    /// <summary>Creates the shape of a schema's visible columns.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>The shape.</returns>
    public static SchemaShape Create(DataViewSchema schema) =>
        new(Guard.NotNull(schema).Where(c => !c.IsHidden).Select(c => Column.FromType(c.Name, c.Type)));

    /// <summary>Finds a column by name.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="column">The column when found.</param>
    /// <returns>True when found.</returns>
    public bool TryFindColumn(string name, out Column column)
    {
        foreach (Column c in _columns)
        {
            if (c.Name == name)
            {
                column = c;
                return true;
            }
        }

        column = default;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", _columns.Select(c => $"{c.Name}: {c.GetTypeString()}"));

    /// <summary>One column of a shape.</summary>
    public readonly struct Column
    {
        /// <summary>Initializes a column shape.</summary>
        /// <param name="name">The column name.</param>
        /// <param name="vecKind">Whether values are scalars, fixed-size vectors or variable-size vectors.</param>
        /// <param name="itemType">The item type (for vectors, the type of one item).</param>
        /// <param name="isKey">Whether the items are keys.</param>
        public Column(string name, VectorKind vecKind, DataViewType itemType, bool isKey)
        {
            Name = Guard.NotNullOrEmpty(name);
            Kind = vecKind;
            ItemType = Guard.NotNull(itemType);
            IsKey = isKey;
        }

        /// <summary>Whether the values of a column are scalars or vectors.</summary>
        public enum VectorKind
        {
            /// <summary>One value per row.</summary>
            Scalar,

            /// <summary>A vector of known size per row.</summary>
            Vector,

            /// <summary>A vector of any size per row.</summary>
            VariableVector,
        }

        /// <summary>Gets the column name.</summary>
        public string Name { get; }

        /// <summary>Gets the vector kind.</summary>
        public VectorKind Kind { get; }

        /// <summary>Gets the item type.</summary>
        public DataViewType ItemType { get; }

        /// <summary>Gets a value indicating whether the items are keys.</summary>
        public bool IsKey { get; }

        /// <summary>Gets a value indicating whether this is a default (empty) column.</summary>
        public bool IsValid => Name is not null;

        /// <summary>Describes the type, e.g. <c>Vector&lt;Single&gt;</c>.</summary>
        /// <returns>The description.</returns>
        public string GetTypeString() => Kind switch
        {
            VectorKind.Scalar => $"{ItemType}",
            VectorKind.Vector => $"Vector<{ItemType}>",
            _ => $"VarVector<{ItemType}>",
        };

        /// <summary>
        /// Gets a value indicating whether a column of shape <paramref name="source"/> can be given where this
        /// shape is expected: same kind (a fixed-size vector is accepted for a variable one), key-ness and item type.
        /// </summary>
        /// <param name="source">The offered column shape.</param>
        /// <returns>True when compatible.</returns>
        public bool IsCompatibleWith(Column source) =>
            IsKey == source.IsKey
            && ItemType.Equals(source.ItemType)
            && (Kind == source.Kind || (Kind == VectorKind.VariableVector && source.Kind == VectorKind.Vector));

        /// <summary>Creates the shape of a column of type <paramref name="type"/>.</summary>
        /// <param name="name">The column name.</param>
        /// <param name="type">The column type.</param>
        /// <returns>The column shape.</returns>
        public static Column FromType(string name, DataViewType type) => type switch
        {
            VectorDataViewType v => new Column(name, v.IsKnownSize ? VectorKind.Vector : VectorKind.VariableVector, v.ItemType, v.ItemType is KeyDataViewType),
            _ => new Column(name, VectorKind.Scalar, type, type is KeyDataViewType),
        };

        /// <inheritdoc/>
        public override string ToString() => $"{Name}: {GetTypeString()}";
    }
}
