using Microsoft.ML;

namespace MLNetFlows.OnnxScoring;

/// <summary>The lazy result of a batched ONNX Runtime scorer's <c>Transform</c>: the input's columns plus the mapper's.</summary>
internal sealed class OnnxBatchDataView(IDataView input, OnnxBatchMapper mapper) : IDataView
{
    public bool CanShuffle => false;

    public DataViewSchema Schema => mapper.OutputSchema;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            if (column.Index >= active.Length || Schema[column.Index].Name != column.Name)
            {
                throw new ArgumentException($"column '{column.Name}' (index {column.Index}) is not a column of this scorer's output schema", nameof(columnsNeeded));
            }

            active[column.Index] = true;
        }

        var inputCount = input.Schema.Count;
        var scoring = active.Skip(inputCount).Any(a => a);
        var needed = active[..inputCount];
        if (scoring)
        {
            foreach (var dependency in mapper.Dependencies)
            {
                needed[dependency.Index] = true;
            }
        }

        return new OnnxBatchCursor(input.GetRowCursor(input.Schema.Where(c => needed[c.Index])), mapper, needed, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
