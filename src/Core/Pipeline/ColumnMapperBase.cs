namespace MLNetFlows;

/// <summary>
/// The row-level logic of a <see cref="RowToRowTransformerBase"/>, bound to one input schema: the columns it adds
/// and the input columns each of them needs. The output schema is the input schema plus the added columns (an
/// added column with an existing name hides the input one). Use <see cref="RowColumnMapper"/> for per-row
/// computations and <see cref="BatchedColumnMapper"/> for computations that run on batches of rows.
/// </summary>
public abstract class ColumnMapperBase
{
    private readonly Lazy<DataViewSchema.DetachedColumn[]> _outputColumns;
    private readonly Lazy<DataViewSchema> _outputSchema;

    private protected ColumnMapperBase(DataViewSchema inputSchema)
    {
        InputSchema = Guard.NotNull(inputSchema);
        _outputColumns = new Lazy<DataViewSchema.DetachedColumn[]>(GetOutputColumns);
        _outputSchema = new Lazy<DataViewSchema>(() =>
            DataViewSchema.Create(InputSchema.Select(c => new DataViewSchema.DetachedColumn(c)).Concat(OutputColumns)));
    }

    /// <summary>Gets the input schema.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>Gets the output schema: the input columns followed by the added columns.</summary>
    public DataViewSchema OutputSchema => _outputSchema.Value;

    /// <summary>Gets the added columns.</summary>
    public IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns => _outputColumns.Value;

    /// <summary>Describes the added columns.</summary>
    /// <returns>The added columns, in order.</returns>
    protected abstract DataViewSchema.DetachedColumn[] GetOutputColumns();

    /// <summary>Gets the input columns needed to compute the added column <paramref name="outputIndex"/>.</summary>
    /// <param name="outputIndex">The index among the added columns.</param>
    /// <returns>Input columns (of <see cref="InputSchema"/>).</returns>
    protected abstract IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex);

    internal IEnumerable<DataViewSchema.Column> Dependencies(int outputIndex) => GetDependencies(outputIndex);
}
