using System.Collections;

namespace MLNetFlows;

/// <summary>
/// The columns of an <see cref="IDataView"/>, in order. Several columns may share a name: the last one is
/// visible by name and the earlier ones are <see cref="Column.IsHidden"/>. Immutable.
/// </summary>
public sealed partial class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _byName;

    private DataViewSchema(Column[] columns)
    {
        _columns = columns;
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Length; i++)
        {
            _byName[columns[i].Name] = i;
        }
    }

    /// <summary>Gets an empty schema.</summary>
    public static DataViewSchema Empty { get; } = new([]);

    /// <summary>Gets the number of columns, hidden ones included.</summary>
    public int Count => _columns.Length;

    /// <summary>Gets the column at <paramref name="columnIndex"/>.</summary>
    /// <param name="columnIndex">The column index.</param>
    public Column this[int columnIndex]
    {
        get
        {
            if ((uint)columnIndex >= (uint)_columns.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(columnIndex), columnIndex, $"expected a column index in [0, {_columns.Length}), got {columnIndex}");
            }

            return _columns[columnIndex];
        }
    }

    /// <summary>Gets the visible column named <paramref name="name"/>.</summary>
    /// <param name="name">The column name.</param>
    /// <exception cref="ArgumentOutOfRangeException">No such column.</exception>
    public Column this[string name] =>
        GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, $"expected one of the columns ({Describe()}), got '{name}'");

    /// <summary>Gets the visible column named <paramref name="name"/>, or null.</summary>
    /// <param name="name">The column name.</param>
    /// <returns>The column or null.</returns>
    public Column? GetColumnOrNull(string name) =>
        _byName.TryGetValue(Guard.NotNull(name), out int index) ? _columns[index] : null;

    /// <inheritdoc/>
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => Describe();

    internal string Describe() =>
        string.Join(", ", _columns.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {c.Type}"));

    /// <summary>Builds a schema from columns: a later column with an existing name hides the earlier one.</summary>
    internal static DataViewSchema Create(IEnumerable<DetachedColumn> columns)
    {
        var list = columns.ToList();
        var result = new Column[list.Count];
        var lastIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            lastIndex[list[i].Name] = i;
        }

        for (int i = 0; i < list.Count; i++)
        {
            result[i] = new Column(list[i].Name, i, lastIndex[list[i].Name] != i, list[i].Type, list[i].Annotations);
        }

        return new DataViewSchema(result);
    }
}
