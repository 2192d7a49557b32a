namespace MLNetFlows;

/// <summary>
/// Keeps the rows of a view that a predicate accepts. The predicate is created per cursor from the input cursor
/// (it may read the input's getters of <c>filterColumns</c> and its <see cref="DataViewRow.Position"/>).
/// Rows are skipped lazily; the row count is unknown.
/// </summary>
internal sealed class RowFilterDataView : IDataView
{
    private readonly IDataView _input;
    private readonly DataViewSchema.Column[] _filterColumns;
    private readonly Func<DataViewRowCursor, Func<bool>> _makePredicate;
    private readonly bool _canShuffle;

    public RowFilterDataView(IDataView input, DataViewSchema.Column[] filterColumns, Func<DataViewRowCursor, Func<bool>> makePredicate, bool canShuffle)
    {
        _input = input;
        _filterColumns = filterColumns;
        _makePredicate = makePredicate;
        _canShuffle = canShuffle && input.CanShuffle;
    }

    public bool CanShuffle => _canShuffle;

    public DataViewSchema Schema => _input.Schema;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = ActiveColumns.From(Schema, columnsNeeded);
        foreach (DataViewSchema.Column column in _filterColumns)
        {
            needed[column.Index] = true;
        }

        DataViewRowCursor input = _input.GetRowCursor(ActiveColumns.Select(Schema, needed), _canShuffle ? rand : null);
        return new Cursor(input, _makePredicate(input), ActiveColumns.From(Schema, columnsNeeded));
    }

    private sealed class Cursor(DataViewRowCursor input, Func<bool> accept, bool[] active) : DataViewRowCursor
    {
        public override DataViewSchema Schema => input.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        protected override bool MoveNextCore()
        {
            while (input.MoveNext())
            {
                if (accept())
                {
                    return true;
                }
            }

            return false;
        }

        protected override ValueGetter<TValue> GetGetterCore<TValue>(DataViewSchema.Column column) => input.GetGetter<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                input.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
