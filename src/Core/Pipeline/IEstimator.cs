namespace MLNetFlows;

/// <summary>
/// An estimator: configuration plus a schema contract. <see cref="Fit"/> learns from data and returns an
/// immutable transformer; <see cref="GetOutputSchema"/> propagates the schema without data and fails on bad
/// input exactly like <see cref="Fit"/> would.
/// </summary>
/// <typeparam name="TTransformer">The fitted transformer type.</typeparam>
public interface IEstimator<out TTransformer>
    where TTransformer : ITransformer
{
    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <param name="input">The training data.</param>
    /// <returns>The fitted transformer.</returns>
    /// <exception cref="SchemaMismatchException">An input column is missing or has the wrong type.</exception>
    TTransformer Fit(IDataView input);

    /// <summary>Computes the shape of the schema that the fitted transformer produces.</summary>
    /// <param name="inputSchema">The shape of the input schema.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="SchemaMismatchException">An input column is missing or has the wrong type.</exception>
    SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
