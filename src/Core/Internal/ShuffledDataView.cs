namespace MLNetFlows;

/// <summary>
/// Shuffles a view that can shuffle: every cursor draws a fresh generator from the seed (so every pass has the
/// same order) unless the caller passes its own generator.
/// </summary>
internal sealed class ShuffledDataView(IDataView input, int seed) : IDataView
{
    public bool CanShuffle => true;

    public DataViewSchema Schema => input.Schema;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        input.GetRowCursor(columnsNeeded, rand ?? new Random(seed));
}
