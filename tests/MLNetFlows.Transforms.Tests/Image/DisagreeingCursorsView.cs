using Microsoft.ML;

namespace MLNetFlows.Transforms.Tests.Image;

/// <summary>A view that breaks ML.NET's row-order convention: each cursor shuffles its rows with another seed.</summary>
internal sealed class DisagreeingCursorsView(IDataView shufflable) : IDataView
{
    private int _cursors;

    public bool CanShuffle => true;

    public DataViewSchema Schema => shufflable.Schema;

    public long? GetRowCount() => shufflable.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        shufflable.GetRowCursor(columnsNeeded, new Random(Interlocked.Increment(ref _cursors)));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
