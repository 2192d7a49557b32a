using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Estimators.Tests.Infrastructure;

/// <summary>An <see cref="IDataView"/> wrapper that counts the cursors opened on it and the values read per column.</summary>
internal sealed class CountingDataView(IDataView inner) : IDataView
{
    private readonly Dictionary<string, int> _reads = [];
    private int _cursors;

    public bool CanShuffle => inner.CanShuffle;

    public DataViewSchema Schema => inner.Schema;

    public int CursorsOpened => Volatile.Read(ref _cursors);

    public int Reads(string column)
    {
        lock (_reads)
        {
            return _reads.GetValueOrDefault(column);
        }
    }

    public long? GetRowCount() => inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        Interlocked.Increment(ref _cursors);
        return new Cursor(this, inner.GetRowCursor(columnsNeeded, rand));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [GetRowCursor(columnsNeeded, rand)];

    private void Count(string column)
    {
        lock (_reads)
        {
            _reads[column] = _reads.GetValueOrDefault(column) + 1;
        }
    }

    private sealed class Cursor(CountingDataView parent, DataViewRowCursor inner) : DataViewRowCursor
    {
        public override DataViewSchema Schema => inner.Schema;

        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        public override bool MoveNext() => inner.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var getter = inner.GetGetter<TValue>(column);
            return (ref TValue value) =>
            {
                parent.Count(column.Name);
                getter(ref value);
            };
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
