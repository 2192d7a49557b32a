namespace MLNetFlows;

/// <summary>An estimator that needs no training: <see cref="Fit"/> checks the schema and returns a fixed transformer.</summary>
/// <typeparam name="TTransformer">The transformer type.</typeparam>
public abstract class TrivialEstimator<TTransformer> : IEstimator<TTransformer>
    where TTransformer : class, ITransformer
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="transformer">The transformer returned by <see cref="Fit"/>.</param>
    protected TrivialEstimator(TTransformer transformer) => Transformer = Guard.NotNull(transformer);

    /// <summary>Gets the transformer returned by <see cref="Fit"/>.</summary>
    protected TTransformer Transformer { get; }

    /// <inheritdoc/>
    public TTransformer Fit(IDataView input)
    {
        Guard.NotNull(input);
        _ = Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }

    /// <inheritdoc/>
    public abstract SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
