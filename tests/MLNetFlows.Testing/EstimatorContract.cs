using Microsoft.ML;

namespace MLNetFlows.Testing;

/// <summary>
/// The shared "workout" every estimator of the project passes (ML.NET's TestEstimatorCore idea), on ML.NET's own types:
/// <list type="number">
/// <item>schema propagation: GetOutputSchema(SchemaShape) of the shape ML.NET derives from the input is exactly the
/// shape of Transform's schema, and the transformer's GetOutputSchema(DataViewSchema) is Transform's schema;</item>
/// <item>bad input (missing, mistyped or mis-sized column) fails at GetOutputSchema(SchemaShape) (when a shape can show
/// the problem), Fit, the transformer's GetOutputSchema and Transform, with an <see cref="ArgumentOutOfRangeException"/>
/// (ML.NET's schema mismatch convention) naming the column, the expected type and the actual type;</item>
/// <item>Transform is lazy and repeatable: two passes, and two concurrent passes on two threads, give identical values;</item>
/// <item>mlContext.Model.Save → Load (in the context <c>loadingContext</c> makes, e.g. a fresh one) gives a transformer
/// with identical output values and the saved input schema.</item>
/// </list>
/// Throws <see cref="ContractViolationException"/> on the first broken rule.
/// </summary>
public static class EstimatorContract
{
    /// <summary>Runs the whole contract.</summary>
    /// <typeparam name="TTransformer">The fitted transformer type.</typeparam>
    /// <param name="mlContext">The context the estimator belongs to (used for saving).</param>
    /// <param name="estimator">The estimator under test.</param>
    /// <param name="validInput">Good input data (a few rows suffice).</param>
    /// <param name="loadingContext">Makes the context that loads the saved model (null: <paramref name="mlContext"/>).</param>
    /// <param name="badInputs">Inputs the estimator must refuse.</param>
    /// <returns>The fitted transformer, for further test-specific checks.</returns>
    public static TTransformer Check<TTransformer>(MLContext mlContext, IEstimator<TTransformer> estimator, IDataView validInput, Func<MLContext>? loadingContext, params BadInput[] badInputs)
        where TTransformer : ITransformer
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(validInput);
        ArgumentNullException.ThrowIfNull(badInputs);

        SchemaShape shape = estimator.GetOutputSchema(SchemaComparer.ShapeOf(validInput.Schema));
        TTransformer transformer = estimator.Fit(validInput);
        DataViewSchema outputSchema = transformer.GetOutputSchema(validInput.Schema);
        IDataView transformed = transformer.Transform(validInput);
        SchemaComparer.AssertSameColumns(outputSchema, transformed.Schema, "GetOutputSchema(DataViewSchema) vs Transform");
        SchemaComparer.AssertShapeMatches(shape, transformed.Schema);

        CheckRepeatable(transformed);

        foreach (BadInput bad in badInputs)
        {
            if (bad.DetectableFromShape)
            {
                ExpectMismatch(bad, "GetOutputSchema(SchemaShape)", () => estimator.GetOutputSchema(SchemaComparer.ShapeOf(bad.Data.Schema)));
            }

            ExpectMismatch(bad, "Fit", () => estimator.Fit(bad.Data));
            ExpectMismatch(bad, "transformer.GetOutputSchema", () => transformer.GetOutputSchema(bad.Data.Schema));
            ExpectMismatch(bad, "Transform", () => transformer.Transform(bad.Data));
        }

        using var stream = new MemoryStream();
        mlContext.Model.Save(transformer, validInput.Schema, stream);
        stream.Position = 0;
        ITransformer loaded = (loadingContext?.Invoke() ?? mlContext).Model.Load(stream, out DataViewSchema? loadedSchema);
        try
        {
            if (loadedSchema is null)
            {
                throw new ContractViolationException("Model.Load returned no input schema although one was saved.");
            }

            SchemaComparer.AssertSameColumns(validInput.Schema, loadedSchema, "saved vs loaded input schema");
            DataViewComparer.AssertEqual(transformed, loaded.Transform(validInput), "save → load → Transform");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }

        return transformer;
    }

    private static void CheckRepeatable(IDataView transformed)
    {
        DataViewComparer.AssertEqual(transformed, transformed, "two passes over Transform's output");
        List<object?[]> first = DataViewComparer.ReadAll(transformed);
        var results = new List<object?[]>[2];
        Parallel.For(0, 2, i => results[i] = DataViewComparer.ReadAll(transformed));
        foreach (List<object?[]> rows in results)
        {
            if (rows.Count != first.Count || rows.Zip(first).Any(p => !DataViewComparer.ValueEquals(p.First, p.Second)))
            {
                throw new ContractViolationException("Concurrent passes over Transform's output gave different values than a sequential pass.");
            }
        }
    }

    private static void ExpectMismatch(BadInput bad, string stage, Action action)
    {
        try
        {
            action();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            string[] required = bad.ActualType is null ? [bad.ColumnName, bad.ExpectedType] : [bad.ColumnName, bad.ExpectedType, bad.ActualType];
            string? missing = required.FirstOrDefault(r => !ex.Message.Contains(r, StringComparison.Ordinal));
            if (missing is not null)
            {
                throw new ContractViolationException($"{stage} on bad column '{bad.ColumnName}': the message must contain '{missing}', got: {ex.Message}", ex);
            }

            return;
        }
        catch (Exception ex)
        {
            throw new ContractViolationException($"{stage} on bad column '{bad.ColumnName}': expected a schema mismatch (ArgumentOutOfRangeException), got {ex.GetType().Name}: {ex.Message}", ex);
        }

        throw new ContractViolationException($"{stage} on bad column '{bad.ColumnName}': expected a schema mismatch (ArgumentOutOfRangeException), got no exception.");
    }
}
