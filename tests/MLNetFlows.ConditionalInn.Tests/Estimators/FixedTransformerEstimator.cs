using Microsoft.ML;

namespace MLNetFlows.ConditionalInn.Tests.Estimators;

/// <summary>
/// Puts a transformer made from a fitted one (e.g. <c>AsGenerator</c>, which has no estimator) through
/// <see cref="EstimatorContract"/>: "fitting" checks the input against the transformer's schema and returns the
/// transformer itself; the output shape is derived from the transformer's output schema for the one valid input. Bad
/// inputs are therefore only detectable from the data schema, not from a shape.
/// </summary>
internal sealed class FixedTransformerEstimator<T>(T transformer, DataViewSchema validInputSchema) : IEstimator<T>
    where T : ITransformer
{
    public T Fit(IDataView input)
    {
        _ = transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => SchemaComparer.ShapeOf(transformer.GetOutputSchema(validInputSchema));
}
