using MLNetFlows.Persistence;

namespace MLNetFlows;

/// <summary>
/// Base of transformers that add columns computed lazily, row by row or batch by batch, from the input columns.
/// Subclasses validate the input schema and create a mapper in <see cref="MakeMapper"/>; the base provides
/// <see cref="GetOutputSchema"/> and a lazy, repeatable, thread-safe <see cref="Transform"/>.
/// </summary>
public abstract class RowToRowTransformerBase : ITransformer
{
    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => MakeMapper(Guard.NotNull(inputSchema)).OutputSchema;

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => new MappedDataView(Guard.NotNull(input), MakeMapper(input.Schema));

    /// <inheritdoc/>
    public abstract void Save(ModelSaveContext ctx);

    /// <summary>Validates <paramref name="inputSchema"/> and binds a mapper to it.</summary>
    /// <param name="inputSchema">The input schema.</param>
    /// <returns>A <see cref="RowColumnMapper"/> or <see cref="BatchedColumnMapper"/>.</returns>
    /// <exception cref="SchemaMismatchException">An input column is missing or has the wrong type.</exception>
    protected abstract ColumnMapperBase MakeMapper(DataViewSchema inputSchema);
}
