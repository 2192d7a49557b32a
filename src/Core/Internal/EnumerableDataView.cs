namespace MLNetFlows;

/// <summary>
/// A lazy view over an <see cref="IEnumerable{T}"/> of row objects: each cursor enumerates the sequence again.
/// Repeatable when the sequence is; cannot shuffle (as in ML.NET).
/// </summary>
/// <typeparam name="TRow">The row class.</typeparam>
internal sealed class EnumerableDataView<TRow> : IDataView
    where TRow : class
{
    private readonly IEnumerable<TRow> _data;
    private readonly Func<TRow, object?>[] _readers;

    public EnumerableDataView(IEnumerable<TRow> data)
    {
        _data = data;
        RowMember[] members = [.. RowMember.For(typeof(TRow)).Where(m => m.CanRead)];
        var builder = new DataViewSchema.Builder();
        foreach (RowMember member in members)
        {
            builder.AddColumn(member.Name, member.Type);
        }

        Schema = builder.ToSchema();
        _readers = [.. members.Select(m => m.MakeReader<TRow>())];
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _data is IReadOnlyCollection<TRow> c ? c.Count : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, ActiveColumns.From(Schema, columnsNeeded));

    private sealed class Cursor(EnumerableDataView<TRow> parent, bool[] active) : DataViewRowCursor
    {
        private readonly IEnumerator<TRow> _rows = parent._data.GetEnumerator();

        public override DataViewSchema Schema => parent.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        protected override bool MoveNextCore()
        {
            if (!_rows.MoveNext())
            {
                return false;
            }

            if (_rows.Current is null)
            {
                throw new InvalidOperationException($"Row {Position + 1} of the enumerable is null: expected a {typeof(TRow).Name} object, got null.");
            }

            return true;
        }

        protected override ValueGetter<TValue> GetGetterCore<TValue>(DataViewSchema.Column column)
        {
            Func<TRow, object?> read = parent._readers[column.Index];
            return (ValueGetter<TValue>)RawValues.MakeGetter(column.Type, column.Name, () => read(_rows.Current));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _rows.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
