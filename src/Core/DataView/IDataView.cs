namespace MLNetFlows;

/// <summary>
/// A lazy, repeatable, immutable table: rows are produced on demand by cursors. Every call of
/// <see cref="GetRowCursor"/> starts a new independent pass; implementations are safe to cursor from several
/// threads at once.
/// </summary>
public interface IDataView
{
    /// <summary>Gets a value indicating whether <see cref="GetRowCursor"/> honours a non-null random generator by shuffling.</summary>
    bool CanShuffle { get; }

    /// <summary>Gets the schema of the rows.</summary>
    DataViewSchema Schema { get; }

    /// <summary>Gets the number of rows when known without a pass over the data, otherwise null.</summary>
    /// <returns>The row count or null.</returns>
    long? GetRowCount();

    /// <summary>Opens a cursor over the rows.</summary>
    /// <param name="columnsNeeded">The columns whose getters will be requested; others stay inactive and cost nothing.</param>
    /// <param name="rand">When non-null and <see cref="CanShuffle"/> is true, the rows come in a random order drawn from it.</param>
    /// <returns>A cursor positioned before the first row.</returns>
    DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null);
}
