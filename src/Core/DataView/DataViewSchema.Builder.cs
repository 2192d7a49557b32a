namespace MLNetFlows;

public sealed partial class DataViewSchema
{
    /// <summary>Builds a schema column by column. Adding a name twice hides the earlier column.</summary>
    public sealed class Builder
    {
        private readonly List<DetachedColumn> _columns = [];

        /// <summary>Adds a column.</summary>
        /// <param name="name">The column name.</param>
        /// <param name="type">The column type.</param>
        /// <param name="annotations">The annotations, or null.</param>
        public void AddColumn(string name, DataViewType type, Annotations? annotations = null) =>
            _columns.Add(new DetachedColumn(name, type, annotations));

        /// <summary>Adds columns, hidden ones included.</summary>
        /// <param name="source">The columns to add.</param>
        public void AddColumns(IEnumerable<Column> source)
        {
            foreach (Column column in Guard.NotNull(source))
            {
                _columns.Add(new DetachedColumn(column));
            }
        }

        /// <summary>Adds detached columns.</summary>
        /// <param name="source">The columns to add.</param>
        public void AddColumns(IEnumerable<DetachedColumn> source) => _columns.AddRange(Guard.NotNull(source));

        /// <summary>Creates the schema.</summary>
        /// <returns>An immutable schema.</returns>
        public DataViewSchema ToSchema() => Create(_columns);
    }
}
