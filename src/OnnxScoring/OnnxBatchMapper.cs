using Microsoft.ML;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// What one of our ONNX Runtime scorers adds to rows of one input schema, a batch at a time: the added columns (appended
/// to the input schema; an added column hides an input column of the same name), the input columns a run reads, and one
/// ONNX Runtime run per batch. Served by <see cref="OnnxBatchDataView"/> and <see cref="OnnxBatchCursor"/>.
/// </summary>
internal abstract class OnnxBatchMapper
{
    private readonly Lazy<DataViewSchema> _outputSchema;

    protected OnnxBatchMapper(DataViewSchema inputSchema, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        InputSchema = inputSchema;
        BatchSize = batchSize;
        _outputSchema = new(() =>
        {
            var builder = new DataViewSchema.Builder();
            builder.AddColumns(InputSchema);
            foreach (var column in OutputColumns)
            {
                builder.AddColumn(column.Name, column.Type, column.Annotations);
            }

            return builder.ToSchema();
        });
    }

    /// <summary>Gets the input schema the mapper is bound to.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>Gets the input columns followed by the added columns.</summary>
    public DataViewSchema OutputSchema => _outputSchema.Value;

    /// <summary>Gets the rows per ONNX Runtime run.</summary>
    public int BatchSize { get; }

    /// <summary>Gets the added columns (Single, Boolean, UInt32 keys or Single vectors), in order.</summary>
    public abstract IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns { get; }

    /// <summary>Gets the input columns a run reads.</summary>
    public abstract IReadOnlyList<DataViewSchema.Column> Dependencies { get; }

    /// <summary>
    /// Computes the added columns of the rows of <paramref name="batch"/> (one ONNX Runtime run): one array per added
    /// column, <see cref="OnnxBatch.Count"/> values (vectors: Count × size, row after row); inactive columns may be left
    /// unfilled but not null. Called by cursors on any thread: must not change shared state.
    /// </summary>
    public abstract Array[] MapBatch(OnnxBatch batch);
}
