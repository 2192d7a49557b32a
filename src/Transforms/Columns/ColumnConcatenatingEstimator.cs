using MLNetFlows.Data;

namespace MLNetFlows.Transforms;

/// <summary>Estimator of <see cref="ColumnConcatenatingTransformer"/>: <c>mlContext.Transforms.Concatenate(...)</c>.</summary>
public sealed class ColumnConcatenatingEstimator : TrivialEstimator<ColumnConcatenatingTransformer>
{
    internal ColumnConcatenatingEstimator(string outputColumnName, string[] inputColumnNames)
        : base(new ColumnConcatenatingTransformer(outputColumnName, inputColumnNames))
    {
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Guard.NotNull(inputSchema);
        SchemaShape.Column[] sources = [.. Transformer.InputColumnNames.Select(n => InputColumns.Require(
            inputSchema, n, c => !c.IsKey && c.ItemType is NumberDataViewType or BooleanDataViewType, ColumnConcatenatingTransformer.Expected))];
        foreach (SchemaShape.Column source in sources)
        {
            if (!source.ItemType.Equals(sources[0].ItemType))
            {
                throw new SchemaMismatchException(source.Name, $"items of {sources[0].ItemType} like column '{sources[0].Name}'", source.GetTypeString());
            }
        }

        var kind = sources.Any(s => s.Kind == SchemaShape.Column.VectorKind.VariableVector)
            ? SchemaShape.Column.VectorKind.VariableVector
            : SchemaShape.Column.VectorKind.Vector;
        return new SchemaShape([.. inputSchema, new SchemaShape.Column(Transformer.OutputColumnName, kind, sources[0].ItemType, isKey: false)]);
    }
}
