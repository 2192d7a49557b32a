using System.Collections;
using MLNetFlows.Persistence;

namespace MLNetFlows;

/// <summary>
/// An immutable sequence of transformers applied in order; the result of fitting an
/// <see cref="EstimatorChain{TLastTransformer}"/>. Persisted as a step of kind <c>TransformerChain</c>.
/// </summary>
/// <typeparam name="TLastTransformer">The type of the last transformer.</typeparam>
public sealed class TransformerChain<TLastTransformer> : ITransformer, IEnumerable<ITransformer>
    where TLastTransformer : class, ITransformer
{
    internal const string LoaderKind = "TransformerChain";
    private readonly ITransformer[] _transformers;

    /// <summary>Initializes a chain.</summary>
    /// <param name="transformers">The transformers; the last one must be a <typeparamref name="TLastTransformer"/>.</param>
    public TransformerChain(params ITransformer[] transformers)
    {
        Guard.NotNull(transformers);
        Guard.IsTrue(transformers.All(t => t is not null), "non-null transformers", "a null element", nameof(transformers));
        Guard.IsTrue(
            transformers.Length == 0 || transformers[^1] is TLastTransformer,
            $"a last transformer of type {TypeNames.Of(typeof(TLastTransformer))}",
            transformers.Length == 0 ? "none" : transformers[^1].GetType().Name,
            nameof(transformers));
        _transformers = [.. transformers];
    }

    /// <summary>Gets the last transformer, or null for an empty chain.</summary>
    public TLastTransformer? LastTransformer => _transformers.Length == 0 ? null : (TLastTransformer)_transformers[^1];

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _transformers.All(t => t.IsRowToRowMapper);

    /// <summary>Returns a new chain with <paramref name="transformer"/> appended.</summary>
    /// <typeparam name="TNewLast">The appended transformer type.</typeparam>
    /// <param name="transformer">The transformer.</param>
    /// <returns>The longer chain.</returns>
    public TransformerChain<TNewLast> Append<TNewLast>(TNewLast transformer)
        where TNewLast : class, ITransformer =>
        new([.. _transformers, Guard.NotNull(transformer)]);

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        DataViewSchema schema = Guard.NotNull(inputSchema);
        foreach (ITransformer t in _transformers)
        {
            schema = t.GetOutputSchema(schema);
        }

        return schema;
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        IDataView data = Guard.NotNull(input);
        foreach (ITransformer t in _transformers)
        {
            data = t.Transform(data);
        }

        return data;
    }

    /// <inheritdoc/>
    public void Save(ModelSaveContext ctx)
    {
        Guard.NotNull(ctx);
        ctx.SetVersionInfo(LoaderKind, 1);
        foreach (ITransformer t in _transformers)
        {
            ctx.SaveStep(t);
        }
    }

    /// <inheritdoc/>
    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)_transformers).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static ITransformer Load(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, 1);
        return new TransformerChain<ITransformer>([.. ctx.LoadSteps()]);
    }
}
