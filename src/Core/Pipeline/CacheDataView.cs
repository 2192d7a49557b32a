namespace MLNetFlows;

/// <summary>
/// Caches a view in memory: the first cursor request makes one full pass over the source (all columns) and
/// later cursors read memory, shuffled on request. Materialisation runs once even when several threads
/// request cursors at the same time.
/// </summary>
internal sealed class CacheDataView : IDataView
{
    private readonly IDataView _source;
    private readonly Lazy<InMemoryDataView> _cache;

    public CacheDataView(IDataView source)
    {
        _source = source;
        _cache = new Lazy<InMemoryDataView>(() => InMemoryDataView.Materialize(source), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public bool CanShuffle => true;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _cache.IsValueCreated ? _cache.Value.GetRowCount() : _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        _cache.Value.GetRowCursor(columnsNeeded, rand);
}
