namespace MLNetFlows;

/// <summary>Skips the first <c>skip</c> rows of a view and keeps at most <c>take</c> of the rest, lazily.</summary>
internal sealed class SkipTakeDataView(IDataView input, long skip, long take) : IDataView
{
    public bool CanShuffle => false;

    public DataViewSchema Schema => input.Schema;

    public long? GetRowCount() => input.GetRowCount() is long n ? Math.Min(take, Math.Max(0, n - skip)) : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        bool[] active = ActiveColumns.From(Schema, columnsNeeded);
        return new Cursor(input.GetRowCursor(ActiveColumns.Select(Schema, active)), skip, take, active);
    }

    private sealed class Cursor(DataViewRowCursor input, long skip, long take, bool[] active) : DataViewRowCursor
    {
        private long _skipped;
        private long _taken;

        public override DataViewSchema Schema => input.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        protected override bool MoveNextCore()
        {
            for (; _skipped < skip; _skipped++)
            {
                if (!input.MoveNext())
                {
                    return false;
                }
            }

            return _taken++ < take && input.MoveNext();
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
