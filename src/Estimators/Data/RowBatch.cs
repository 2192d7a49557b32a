using Microsoft.ML;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// The rows of one batch as a <see cref="BatchMapper"/> sees them: read-only input values of the columns it depends on
/// and writable output values of its active added columns, <see cref="Count"/> rows each.
/// </summary>
internal sealed class RowBatch
{
    private readonly BatchMapper _mapper;
    private readonly ColumnBuffer?[] _inputs;
    private readonly ColumnBuffer?[] _outputs;

    /// <summary>Initializes a new instance over buffers indexed by input column and by added column.</summary>
    /// <param name="mapper">The mapper the batch is for.</param>
    /// <param name="inputs">Buffers of the input columns read (null for the others), by input column index.</param>
    /// <param name="outputs">Buffers of the active added columns (null for inactive ones), by added column index.</param>
    public RowBatch(BatchMapper mapper, ColumnBuffer?[] inputs, ColumnBuffer?[] outputs)
    {
        _mapper = mapper;
        _inputs = inputs;
        _outputs = outputs;
    }

    /// <summary>Gets or sets the number of rows in this batch (at most the mapper's batch size).</summary>
    public int Count { get; set; }

    /// <summary>Gets the values of an input column for the rows of the batch.</summary>
    /// <typeparam name="T">The column's raw type.</typeparam>
    /// <param name="inputColumn">A column of the mapper's input schema among the dependencies of an active output.</param>
    /// <returns><see cref="Count"/> values; vectors must not be modified.</returns>
    public ReadOnlySpan<T> GetInput<T>(DataViewSchema.Column inputColumn)
    {
        if (inputColumn.Index >= _inputs.Length || _inputs[inputColumn.Index] is not ColumnBuffer buffer)
        {
            throw new InvalidOperationException($"input column '{inputColumn.Name}' is not in this batch: list it among the dependencies of an active output");
        }

        return buffer is ColumnBuffer<T> typed
            ? typed.Values.AsSpan(0, Count)
            : throw new InvalidOperationException($"input column '{inputColumn.Name}' holds {buffer.ValueType.Name} values, requested {typeof(T).Name}");
    }

    /// <summary>Gets a value indicating whether added column <paramref name="outputIndex"/> must be computed.</summary>
    /// <param name="outputIndex">The index among the mapper's added columns.</param>
    public bool IsOutputActive(int outputIndex) => _outputs[outputIndex] is not null;

    /// <summary>Gets the values to write for added column <paramref name="outputIndex"/>.</summary>
    /// <typeparam name="T">The column's raw type.</typeparam>
    /// <param name="outputIndex">The index among the mapper's added columns; must be active.</param>
    /// <returns><see cref="Count"/> slots; vector slots hold earlier batches' buffers, reusable with <c>VBufferEditor</c>.</returns>
    public Span<T> GetOutput<T>(int outputIndex)
    {
        var name = _mapper.OutputColumns[outputIndex].Name;
        if (_outputs[outputIndex] is not ColumnBuffer buffer)
        {
            throw new InvalidOperationException($"output column '{name}' is not active in this cursor: check IsOutputActive first");
        }

        return buffer is ColumnBuffer<T> typed
            ? typed.Values.AsSpan(0, Count)
            : throw new InvalidOperationException($"output column '{name}' holds {buffer.ValueType.Name} values, requested {typeof(T).Name}");
    }
}
