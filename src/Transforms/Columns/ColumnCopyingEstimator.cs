namespace MLNetFlows.Transforms;

/// <summary>Estimator of <see cref="ColumnCopyingTransformer"/>: <c>mlContext.Transforms.CopyColumns(...)</c>.</summary>
public sealed class ColumnCopyingEstimator : TrivialEstimator<ColumnCopyingTransformer>
{
    internal ColumnCopyingEstimator(IEnumerable<InputOutputColumnPair> columns)
        : base(new ColumnCopyingTransformer(columns))
    {
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Guard.NotNull(inputSchema);
        var columns = inputSchema.ToList();
        foreach (InputOutputColumnPair pair in Transformer.Columns)
        {
            SchemaShape.Column source = InputColumns.Require(inputSchema, pair.InputColumnName, _ => true, "any type");
            columns.Add(new SchemaShape.Column(pair.OutputColumnName, source.Kind, source.ItemType, source.IsKey));
        }

        return new SchemaShape(columns);
    }
}
