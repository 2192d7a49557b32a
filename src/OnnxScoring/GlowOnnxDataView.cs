using Microsoft.ML;

namespace MLNetFlows.OnnxScoring;

/// <summary>The lazy result of <see cref="GlowOnnxTransformer.Transform"/>: the input's columns plus the model's.</summary>
internal sealed class GlowOnnxDataView(IDataView input, GlowOnnxTransformer transformer, DataViewSchema schema, DataViewSchema.Column features) : IDataView
{
    public bool CanShuffle => false;

    public DataViewSchema Schema => schema;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[schema.Count];
        foreach (var column in columnsNeeded)
        {
            active[column.Index] = true;
        }

        var inputCount = input.Schema.Count;
        var scoring = active.Skip(inputCount).Any(a => a);
        var upstream = input.Schema.Where(c => active[c.Index] || (scoring && c.Index == features.Index)).ToArray();
        return new GlowOnnxCursor(input.GetRowCursor(upstream), transformer, schema, features, active, scoring);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
