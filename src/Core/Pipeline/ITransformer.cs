using MLNetFlows.Persistence;

namespace MLNetFlows;

/// <summary>Something that writes itself into a model file through a <see cref="ModelSaveContext"/>.</summary>
public interface ICanSaveModel
{
    /// <summary>Writes the kind, version, parameters and binary entries of this object.</summary>
    /// <param name="ctx">The save context.</param>
    void Save(ModelSaveContext ctx);
}

/// <summary>
/// A fitted, immutable transformation of data views. <see cref="Transform"/> is lazy: it validates the schema and
/// returns a view whose rows are computed when cursored.
/// </summary>
public interface ITransformer : ICanSaveModel
{
    /// <summary>Gets a value indicating whether each output row depends only on the matching input row.</summary>
    bool IsRowToRowMapper { get; }

    /// <summary>Computes the output schema for <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">The input schema.</param>
    /// <returns>The output schema.</returns>
    /// <exception cref="SchemaMismatchException">An input column is missing or has the wrong type.</exception>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    /// <summary>Transforms <paramref name="input"/> lazily.</summary>
    /// <param name="input">The input data.</param>
    /// <returns>The transformed view.</returns>
    /// <exception cref="SchemaMismatchException">An input column is missing or has the wrong type.</exception>
    IDataView Transform(IDataView input);
}
