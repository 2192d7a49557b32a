namespace MLNetFlows.Testing;

/// <summary>
/// The shared "workout" every estimator of the project passes (ML.NET's TestEstimatorCore idea):
/// <list type="number">
/// <item>schema propagation: GetOutputSchema(SchemaShape) agrees with Fit, GetOutputSchema(DataViewSchema) and Transform;</item>
/// <item>bad input (missing or mistyped column) fails at GetOutputSchema, Fit, GetOutputSchema(DataViewSchema) and Transform with a
/// <see cref="SchemaMismatchException"/> naming the column, the expected type and the actual type;</item>
/// <item>Transform is lazy and repeatable: two passes, and two concurrent passes on two threads, give identical values;</item>
/// <item>save → load gives a transformer with identical output values and the saved input schema.</item>
/// </list>
/// Throws <see cref="ContractViolationException"/> on the first broken rule.
/// </summary>
public static class EstimatorContract
{
    /// <summary>Runs the whole contract.</summary>
    /// <typeparam name="TTransformer">The fitted transformer type.</typeparam>
    /// <param name="mlContext">The context (used for saving and loading).</param>
    /// <param name="estimator">The estimator under test.</param>
    /// <param name="validInput">Good input data (a few rows suffice).</param>
    /// <param name="badInputs">Inputs the estimator must refuse.</param>
    /// <returns>The fitted transformer, for further test-specific checks.</returns>
    public static TTransformer Check<TTransformer>(MLContext mlContext, IEstimator<TTransformer> estimator, IDataView validInput, params BadInput[] badInputs)
        where TTransformer : ITransformer
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(validInput);
        ArgumentNullException.ThrowIfNull(badInputs);

        SchemaShape shape = estimator.GetOutputSchema(SchemaShape.Create(validInput.Schema));
        TTransformer transformer = estimator.Fit(validInput);
        DataViewSchema outputSchema = transformer.GetOutputSchema(validInput.Schema);
        IDataView transformed = transformer.Transform(validInput);
        SchemaComparer.AssertSameColumns(outputSchema, transformed.Schema, "GetOutputSchema(DataViewSchema) vs Transform");
        SchemaComparer.AssertShapeMatches(shape, transformed.Schema);

        CheckRepeatable(transformed);

        foreach (BadInput bad in badInputs)
        {
            ExpectMismatch(bad, "GetOutputSchema(SchemaShape)", () => estimator.GetOutputSchema(SchemaShape.Create(bad.Data.Schema)));
            ExpectMismatch(bad, "Fit", () => estimator.Fit(bad.Data));
            ExpectMismatch(bad, "transformer.GetOutputSchema", () => transformer.GetOutputSchema(bad.Data.Schema));
            ExpectMismatch(bad, "Transform", () => transformer.Transform(bad.Data));
        }

        using var stream = new MemoryStream();
        mlContext.Model.Save(transformer, validInput.Schema, stream);
        stream.Position = 0;
        ITransformer loaded = mlContext.Model.Load(stream, out DataViewSchema? loadedSchema);
        if (loadedSchema is null)
        {
            throw new ContractViolationException("Model.Load returned no input schema although one was saved.");
        }

        SchemaComparer.AssertSameColumns(validInput.Schema, loadedSchema, "saved vs loaded input schema");
        DataViewComparer.AssertEqual(transformed, loaded.Transform(validInput), "save → load → Transform");
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
        catch (SchemaMismatchException ex)
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
            throw new ContractViolationException($"{stage} on bad column '{bad.ColumnName}': expected SchemaMismatchException, got {ex.GetType().Name}: {ex.Message}", ex);
        }

        throw new ContractViolationException($"{stage} on bad column '{bad.ColumnName}': expected SchemaMismatchException, got no exception.");
    }
}
