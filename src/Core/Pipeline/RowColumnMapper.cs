namespace MLNetFlows;

/// <summary>A mapper that computes each added column from the current input row (cheap per-row work: copies, concatenations).</summary>
public abstract class RowColumnMapper : ColumnMapperBase
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="inputSchema">The input schema.</param>
    protected RowColumnMapper(DataViewSchema inputSchema)
        : base(inputSchema)
    {
    }

    /// <summary>
    /// Creates the getter of added column <paramref name="outputIndex"/>: a <see cref="ValueGetter{TValue}"/> of the
    /// column's raw type reading <paramref name="input"/>'s current row. Called once per cursor; must not share
    /// mutable state between cursors.
    /// </summary>
    /// <param name="input">The input row; the column's dependencies are active.</param>
    /// <param name="outputIndex">The index among the added columns.</param>
    /// <returns>The getter.</returns>
    protected internal abstract Delegate MakeGetter(DataViewRow input, int outputIndex);
}
