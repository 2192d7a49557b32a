namespace MLNetFlows;

/// <summary>
/// A sequence of estimators fitted in order: each is fitted on the output of the transformers before it.
/// A cache checkpoint materialises the data at that point in memory during <see cref="Fit"/>, so that the
/// following estimators (e.g. multi-epoch trainers) do not recompute earlier transforms. Immutable.
/// </summary>
/// <typeparam name="TLastTransformer">The transformer type of the last estimator.</typeparam>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>>
    where TLastTransformer : class, ITransformer
{
    private readonly IEstimator<ITransformer>[] _estimators;
    private readonly bool[] _cacheAfter;

    /// <summary>Initializes an empty chain.</summary>
    public EstimatorChain()
        : this([], [])
    {
    }

    private EstimatorChain(IEstimator<ITransformer>[] estimators, bool[] cacheAfter)
    {
        _estimators = estimators;
        _cacheAfter = cacheAfter;
    }

    /// <summary>Gets the last estimator, or null for an empty chain.</summary>
    public IEstimator<TLastTransformer>? LastEstimator =>
        _estimators.Length == 0 ? null : (IEstimator<TLastTransformer>)_estimators[^1];

    /// <summary>Returns a new chain with <paramref name="estimator"/> appended.</summary>
    /// <typeparam name="TNewLast">The appended estimator's transformer type.</typeparam>
    /// <param name="estimator">The estimator.</param>
    /// <returns>The longer chain.</returns>
    public EstimatorChain<TNewLast> Append<TNewLast>(IEstimator<TNewLast> estimator)
        where TNewLast : class, ITransformer =>
        new([.. _estimators, Guard.NotNull(estimator)], [.. _cacheAfter, false]);

    /// <summary>Returns a new chain that caches the data produced so far in memory while fitting.</summary>
    /// <param name="env">The context (kept for ML.NET source compatibility).</param>
    /// <returns>The chain with a checkpoint.</returns>
    public EstimatorChain<TLastTransformer> AppendCacheCheckpoint(MLContext env)
    {
        Guard.NotNull(env);
        Guard.IsTrue(_estimators.Length > 0, "at least one estimator before a cache checkpoint", "an empty chain", nameof(env));
        bool[] cache = [.. _cacheAfter];
        cache[^1] = true;
        return new EstimatorChain<TLastTransformer>(_estimators, cache);
    }

    /// <inheritdoc/>
    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        IDataView data = Guard.NotNull(input);
        _ = GetOutputSchema(SchemaShape.Create(input.Schema));
        var fitted = new ITransformer[_estimators.Length];
        for (int i = 0; i < _estimators.Length; i++)
        {
            fitted[i] = _estimators[i].Fit(data);
            if (i < _estimators.Length - 1)
            {
                data = fitted[i].Transform(data);
                if (_cacheAfter[i])
                {
                    data = new CacheDataView(data);
                }
            }
        }

        return new TransformerChain<TLastTransformer>(fitted);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShape shape = Guard.NotNull(inputSchema);
        foreach (IEstimator<ITransformer> estimator in _estimators)
        {
            shape = estimator.GetOutputSchema(shape);
        }

        return shape;
    }
}
