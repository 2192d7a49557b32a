using Microsoft.ML;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// The lazy output of <see cref="SafeImageLoadingTransformer.Transform"/>: the input's columns (by index) and the
/// image column last. Each cursor runs two cursors on the input: one for the columns the consumer reads, one that
/// reads paths ahead for batched decoding (<see cref="SafeImageLoadingCursor"/>).
/// </summary>
internal sealed class SafeImageLoadingDataView : IDataView
{
    private readonly SafeImageLoadingTransformer _parent;
    private readonly IDataView _input;
    private readonly DataViewSchema.Column _pathColumn;

    public SafeImageLoadingDataView(SafeImageLoadingTransformer parent, IDataView input, DataViewSchema schema, DataViewSchema.Column pathColumn)
    {
        _parent = parent;
        _input = input;
        Schema = schema;
        _pathColumn = pathColumn;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema { get; }

    /// <summary>The input's row count when no row can be skipped; unknown (null) under <see cref="BadImageHandling.Skip"/>.</summary>
    public long? GetRowCount() => _parent.OnBadImage == BadImageHandling.Fail ? _input.GetRowCount() : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        int imageIndex = Schema.Count - 1;
        bool imageNeeded = false;
        var inputNeeded = new List<DataViewSchema.Column>();
        foreach (DataViewSchema.Column column in columnsNeeded)
        {
            if (column.Index == imageIndex)
            {
                imageNeeded = true;
            }
            else
            {
                inputNeeded.Add(_input.Schema[column.Index]);
            }
        }

        // Both input cursors must visit the rows in the same order: they get equally seeded generators.
        int? seed = rand?.Next();
        DataViewRowCursor main = _input.GetRowCursor(inputNeeded, seed is null ? null : new Random(seed.Value));
        DataViewRowCursor ahead = _input.GetRowCursor([_pathColumn], seed is null ? null : new Random(seed.Value));
        return new SafeImageLoadingCursor(_parent, Schema, main, ahead, _pathColumn, imageNeeded);
    }

    /// <summary>One cursor: batching and parallel decoding happen inside it.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
