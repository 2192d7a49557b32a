namespace MLNetFlows;

/// <summary>
/// The rows of one batch of a <see cref="BatchedColumnMapper"/>: read-only input values per needed input column
/// and writable output values per active added column, <see cref="Count"/> rows each.
/// </summary>
public sealed class RowBatch
{
    private readonly DataViewSchema _inputSchema;
    private readonly IReadOnlyList<DataViewSchema.DetachedColumn> _outputColumns;
    private readonly ColumnBuffer?[] _inputs;
    private readonly ColumnBuffer?[] _outputs;

    internal RowBatch(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.DetachedColumn> outputColumns, ColumnBuffer?[] inputs, ColumnBuffer?[] outputs)
    {
        _inputSchema = inputSchema;
        _outputColumns = outputColumns;
        _inputs = inputs;
        _outputs = outputs;
    }

    /// <summary>Gets the number of rows in this batch.</summary>
    public int Count { get; internal set; }

    /// <summary>Gets the values of an input column for the rows of the batch.</summary>
    /// <typeparam name="T">The column's raw type.</typeparam>
    /// <param name="inputColumn">A column of the mapper's input schema listed among the dependencies of an active output.</param>
    /// <returns><see cref="Count"/> values; vectors must not be modified.</returns>
    public ReadOnlySpan<T> GetInput<T>(DataViewSchema.Column inputColumn)
    {
        DataViewRow.CheckColumn(_inputSchema, inputColumn);
        if (_inputs[inputColumn.Index] is not ColumnBuffer buffer)
        {
            throw new InvalidOperationException($"Input column '{inputColumn.Name}' is not in this batch: list it in GetDependencies of an active output.");
        }

        if (buffer is not ColumnBuffer<T> typed)
        {
            throw new InvalidOperationException($"Column '{inputColumn.Name}' has type {inputColumn.Type}, requested {TypeNames.Of(typeof(T))}.");
        }

        return typed.Values[..Count];
    }

    /// <summary>Gets a value indicating whether added column <paramref name="outputIndex"/> is requested by the cursor.</summary>
    /// <param name="outputIndex">The index among the added columns.</param>
    /// <returns>True when it must be computed.</returns>
    public bool IsOutputActive(int outputIndex) => _outputs[outputIndex] is not null;

    /// <summary>Gets the buffer to fill for added column <paramref name="outputIndex"/>.</summary>
    /// <typeparam name="T">The column's raw type.</typeparam>
    /// <param name="outputIndex">The index among the added columns; must be active.</param>
    /// <returns><see cref="Count"/> values to write; vector slots hold the previous batch's buffers, reusable with <c>VBufferEditor</c>.</returns>
    public Span<T> GetOutput<T>(int outputIndex)
    {
        if (_outputs[outputIndex] is not ColumnBuffer buffer)
        {
            throw new InvalidOperationException($"Output column '{_outputColumns[outputIndex].Name}' is not active in this cursor.");
        }

        if (buffer is not ColumnBuffer<T> typed)
        {
            throw new InvalidOperationException($"Column '{_outputColumns[outputIndex].Name}' has type {_outputColumns[outputIndex].Type}, requested {TypeNames.Of(typeof(T))}.");
        }

        return typed.Writable(Count);
    }
}
