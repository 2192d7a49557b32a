namespace MLNetFlows;

/// <summary>
/// A mapper that computes its added columns for a batch of rows at once (e.g. one forward pass of a network over
/// <see cref="BatchSize"/> images). The cursor pulls up to <see cref="BatchSize"/> input rows, copies the needed
/// input values into a <see cref="RowBatch"/>, calls <see cref="MapBatch"/> once, then serves the rows from memory.
/// </summary>
public abstract class BatchedColumnMapper : ColumnMapperBase
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="inputSchema">The input schema.</param>
    /// <param name="batchSize">The number of rows per batch (positive).</param>
    protected BatchedColumnMapper(DataViewSchema inputSchema, int batchSize)
        : base(inputSchema)
    {
        Guard.MustBeGreaterThan(batchSize, 0);
        BatchSize = batchSize;
    }

    /// <summary>Gets the number of rows per batch; the last batch of a pass may be smaller.</summary>
    public int BatchSize { get; }

    /// <summary>
    /// Computes the active added columns for the rows of <paramref name="batch"/>. Called concurrently by
    /// cursors on different threads: must not mutate shared state.
    /// </summary>
    /// <param name="batch">Input values of the batch and output buffers to fill.</param>
    protected internal abstract void MapBatch(RowBatch batch);
}
