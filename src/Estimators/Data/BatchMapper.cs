using Microsoft.ML;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// Computes the columns a <see cref="BatchedTransformer"/> adds, for a batch of rows at once (one model call per
/// batch). Bound to one input schema; the output schema is the input schema with the added columns appended (an added
/// column hides an input column of the same name). Output column i &lt; n of the output schema is input column i; the
/// rest are the added columns in <see cref="OutputColumns"/> order.
/// </summary>
internal abstract class BatchMapper
{
    private readonly Lazy<DataViewSchema.DetachedColumn[]> _outputColumns;
    private readonly Lazy<DataViewSchema> _outputSchema;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="inputSchema">The input schema (validated by the derived class).</param>
    /// <param name="batchSize">Rows per model call; the last batch of a pass may be smaller.</param>
    protected BatchMapper(DataViewSchema inputSchema, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        InputSchema = inputSchema;
        BatchSize = batchSize;
        _outputColumns = new(GetOutputColumns);
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

    /// <summary>Gets the number of rows per model call.</summary>
    public int BatchSize { get; }

    /// <summary>Gets the added columns, with their annotations.</summary>
    public IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns => _outputColumns.Value;

    /// <summary>Gets the input columns followed by the added columns.</summary>
    public DataViewSchema OutputSchema => _outputSchema.Value;

    /// <summary>
    /// Which input columns a pass must read to serve <paramref name="active"/> output columns: the active input
    /// columns themselves (passed through) and the dependencies of the active added columns.
    /// </summary>
    /// <param name="active">One flag per column of <see cref="OutputSchema"/>.</param>
    /// <returns>One flag per column of <see cref="InputSchema"/>.</returns>
    public bool[] InputsNeeded(bool[] active)
    {
        var inputCount = InputSchema.Count;
        var needed = active[..inputCount];
        for (var i = 0; i < OutputColumns.Count; i++)
        {
            if (active[inputCount + i])
            {
                foreach (var dependency in GetDependencies(i))
                {
                    needed[dependency.Index] = true;
                }
            }
        }

        return needed;
    }

    /// <summary>Flags the columns of <see cref="OutputSchema"/> listed in <paramref name="columns"/>.</summary>
    /// <param name="columns">Columns of the output schema.</param>
    public bool[] ActiveFlags(IEnumerable<DataViewSchema.Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var active = new bool[OutputSchema.Count];
        foreach (var column in columns)
        {
            if (column.Index >= active.Length || OutputSchema[column.Index].Name != column.Name)
            {
                throw new ArgumentException($"column '{column.Name}' (index {column.Index}) is not a column of this transformer's output schema", nameof(columns));
            }

            active[column.Index] = true;
        }

        return active;
    }

    /// <summary>Gets the input columns added column <paramref name="outputIndex"/> is computed from.</summary>
    /// <param name="outputIndex">The index among <see cref="OutputColumns"/>.</param>
    public abstract IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex);

    /// <summary>
    /// Computes the active added columns of the rows of <paramref name="batch"/> with one model call. Called
    /// concurrently by cursors on different threads: must not change shared state.
    /// </summary>
    /// <param name="batch">Input values of the batch and output slots to fill.</param>
    public abstract void MapBatch(RowBatch batch);

    /// <summary>Gets the added columns; called once.</summary>
    protected abstract DataViewSchema.DetachedColumn[] GetOutputColumns();
}
