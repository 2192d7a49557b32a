using Microsoft.ML;

namespace MLNetFlows.OnnxScoring;

/// <summary>The rows of one batch as an <see cref="OnnxBatchMapper"/> sees them: the values of the input columns it reads, and which added columns are read.</summary>
internal sealed class OnnxBatch(SlotBuffer?[] inputs, bool[] activeOutputs)
{
    /// <summary>Gets or sets the number of rows (at most the batch size).</summary>
    public int Count { get; set; }

    /// <summary>The values of input column <paramref name="column"/> for the rows of the batch.</summary>
    /// <typeparam name="T">The column's raw type.</typeparam>
    public ReadOnlySpan<T> Input<T>(DataViewSchema.Column column) =>
        column.Index < inputs.Length && inputs[column.Index] is SlotBuffer<T> buffer
            ? buffer.Values.AsSpan(0, Count)
            : throw new InvalidOperationException($"input column '{column.Name}' is not in this batch as {typeof(T).Name}: list it among the mapper's dependencies");

    /// <summary>Whether added column <paramref name="output"/> is read by the cursor.</summary>
    public bool IsOutputActive(int output) => activeOutputs[output];
}
