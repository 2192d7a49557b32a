namespace MLNetFlows;

/// <summary>Building pipelines from any estimator or transformer, as in ML.NET.</summary>
public static class LearningPipelineExtensions
{
    /// <summary>Chains <paramref name="estimator"/> after <paramref name="start"/>.</summary>
    /// <typeparam name="TTrans">The appended estimator's transformer type.</typeparam>
    /// <param name="start">The first estimator (or chain).</param>
    /// <param name="estimator">The estimator to append.</param>
    /// <returns>A chain of both.</returns>
    public static EstimatorChain<TTrans> Append<TTrans>(this IEstimator<ITransformer> start, IEstimator<TTrans> estimator)
        where TTrans : class, ITransformer =>
        new EstimatorChain<ITransformer>().Append(Guard.NotNull(start)).Append(estimator);

    /// <summary>Chains a cache checkpoint after <paramref name="start"/>.</summary>
    /// <typeparam name="TTrans">The estimator's transformer type.</typeparam>
    /// <param name="start">The estimator.</param>
    /// <param name="env">The context.</param>
    /// <returns>A chain that caches the estimator's output while fitting.</returns>
    public static EstimatorChain<TTrans> AppendCacheCheckpoint<TTrans>(this IEstimator<TTrans> start, MLContext env)
        where TTrans : class, ITransformer =>
        new EstimatorChain<ITransformer>().Append(Guard.NotNull(start)).AppendCacheCheckpoint(env);

    /// <summary>Chains <paramref name="transformer"/> after <paramref name="start"/>.</summary>
    /// <typeparam name="TTrans">The appended transformer type.</typeparam>
    /// <param name="start">The first transformer (or chain).</param>
    /// <param name="transformer">The transformer to append.</param>
    /// <returns>A chain of both.</returns>
    public static TransformerChain<TTrans> Append<TTrans>(this ITransformer start, TTrans transformer)
        where TTrans : class, ITransformer =>
        new(Guard.NotNull(start), Guard.NotNull(transformer));
}
