namespace MLNetFlows;

/// <summary>
/// An immutable table held in column buffers. Shuffles on request (a fresh permutation per cursor), knows its
/// row count, and is safe to cursor from several threads (cursors only read the buffers).
/// </summary>
internal sealed class InMemoryDataView : IDataView
{
    private readonly IColumnStore[] _columns;
    private readonly int _rowCount;

    public InMemoryDataView(DataViewSchema schema, IColumnStore[] columns, int rowCount)
    {
        DebugGuard.Assert(columns.Length == schema.Count, "one buffer per column");
        DebugGuard.Assert(columns.All(c => c.Count == rowCount), "every buffer holds rowCount values");
        Schema = schema;
        _columns = columns;
        _rowCount = rowCount;
    }

    public bool CanShuffle => true;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        bool[] active = ActiveColumns.From(Schema, columnsNeeded);
        int[]? order = null;
        if (rand is not null)
        {
            order = Enumerable.Range(0, _rowCount).ToArray();
            rand.Shuffle(order);
        }

        return new Cursor(this, active, order);
    }

    public static InMemoryDataView Empty(DataViewSchema schema) =>
        new(schema, schema.Select(c => (IColumnStore)ColumnBuffer.Create(c.Type)).ToArray(), 0);

    /// <summary>Reads every row of <paramref name="source"/> (all columns) into memory.</summary>
    public static InMemoryDataView Materialize(IDataView source)
    {
        DataViewSchema schema = source.Schema;
        var buffers = schema.Select(c => ColumnBuffer.Create(c.Type)).ToArray();
        int rows = 0;
        using (DataViewRowCursor cursor = source.GetRowCursor(schema))
        {
            Action[] appenders = schema.Select(c => buffers[c.Index].MakeAppender(cursor, c)).ToArray();
            while (cursor.MoveNext())
            {
                foreach (Action append in appenders)
                {
                    append();
                }

                rows++;
            }
        }

        return new InMemoryDataView(schema, buffers, rows);
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly InMemoryDataView _parent;
        private readonly bool[] _active;
        private readonly int[]? _order;
        private int _index = -1;

        public Cursor(InMemoryDataView parent, bool[] active, int[]? order)
        {
            _parent = parent;
            _active = active;
            _order = order;
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        protected override bool MoveNextCore() => ++_index < _parent._rowCount;

        protected override ValueGetter<TValue> GetGetterCore<TValue>(DataViewSchema.Column column) =>
            (ValueGetter<TValue>)_parent._columns[column.Index].MakeGetter(Row);

        private int Row() => _order is null ? _index : _order[_index];
    }
}
