namespace MLNetFlows;

/// <summary>Turns a cursor's <c>columnsNeeded</c> into a flag per column of the schema.</summary>
internal static class ActiveColumns
{
    public static bool[] From(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        Guard.NotNull(columnsNeeded);
        var active = new bool[schema.Count];
        foreach (DataViewSchema.Column column in columnsNeeded)
        {
            DataViewRow.CheckColumn(schema, column);
            active[column.Index] = true;
        }

        return active;
    }

    public static IEnumerable<DataViewSchema.Column> Select(DataViewSchema schema, bool[] active) =>
        schema.Where(c => active[c.Index]);
}
