using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// <see cref="SafeImageLoadingTransformer"/> one row at a time (<c>PredictionEngine</c>, chained row mappers): the
/// image is loaded when its getter is called, and a bad image throws <see cref="ImageLoadException"/> (a single row
/// cannot be skipped).
/// </summary>
internal sealed class SafeImageLoadingRowMapper : IRowToRowMapper
{
    private readonly SafeImageLoadingTransformer _parent;
    private readonly DataViewSchema.Column _pathColumn;

    public SafeImageLoadingRowMapper(SafeImageLoadingTransformer parent, DataViewSchema inputSchema, DataViewSchema outputSchema, DataViewSchema.Column pathColumn)
    {
        _parent = parent;
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
        _pathColumn = pathColumn;
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        ArgumentNullException.ThrowIfNull(dependingColumns);
        var needed = new SortedSet<int>();
        foreach (DataViewSchema.Column column in dependingColumns)
        {
            needed.Add(column.Index == OutputSchema.Count - 1 ? _pathColumn.Index : column.Index);
        }

        return [.. needed.Select(i => InputSchema[i])];
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        return new Row(this, input, [.. activeColumns.Select(c => c.Index)]);
    }

    private sealed class Row(SafeImageLoadingRowMapper mapper, DataViewRow input, HashSet<int> active) : DataViewRow
    {
        public override DataViewSchema Schema => mapper.OutputSchema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!active.Contains(column.Index))
            {
                throw new InvalidOperationException($"column '{column.Name}' is not active in this row: ask the mapper for it");
            }

            if (column.Index != Schema.Count - 1)
            {
                return input.GetGetter<TValue>(input.Schema[column.Index]);
            }

            ValueGetter<ReadOnlyMemory<char>> getPath = input.GetGetter<ReadOnlyMemory<char>>(mapper._pathColumn);
            ReadOnlyMemory<char> path = default;
            ValueGetter<MLImage> getter = (ref MLImage value) =>
            {
                getPath(ref path);
                ImageFileLoader loader = mapper._parent.Loader;
                string resolved = loader.Resolve(path.Span);
                var image = mapper._parent.Report(loader.TryLoad(resolved), BadImageHandling.Fail)!;
                value?.Dispose();
                value = image.ToMLImage();
                value.Tag = resolved;
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"column '{column.Name}' holds images: expected a getter of MLImage, got one of {typeof(TValue).Name}");
        }
    }
}
