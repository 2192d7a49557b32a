using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Persistence;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// Base of MLNetFlows' fitted transformers: an <see cref="ITransformer"/> that adds columns computed by a model on
/// <b>batches of rows</b>, one model call per batch (ML.NET's own TorchSharp and ONNX transformers call their model
/// once per row). <see cref="Transform"/> is lazy and repeatable: it returns a view whose cursors read the input through
/// one upstream cursor, buffer a batch of rows (every upstream value read once), run the model once, then serve the
/// rows. <see cref="GetRowToRowMapper"/> serves <c>PredictionEngine</c> (a batch of one row). <c>mlContext.Model.Save</c>
/// writes the transformer as a manifest plus binary entries (weights in safetensors); <c>mlContext.Model.Load</c> reads
/// it once the MLContext knows MLNetFlows' loaders (see <c>RegisterMLNetFlows</c>).
/// </summary>
public abstract class BatchedTransformer : ITransformer
{
    private protected BatchedTransformer()
    {
    }

    /// <summary>Gets a value indicating whether <see cref="GetRowToRowMapper"/> works: always true.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The schema <see cref="Transform"/> produces for <paramref name="inputSchema"/>: the input columns, then the added ones.</summary>
    /// <param name="inputSchema">The input schema; its input column is checked.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return MakeMapper(inputSchema).OutputSchema;
    }

    /// <summary>Adds the columns, lazily: nothing is computed until the result is cursored.</summary>
    /// <param name="input">The input data; its input column is checked now, its values when cursored.</param>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new BatchedDataView(input, MakeMapper(input.Schema));
    }

    /// <summary>A row-to-row mapper for <paramref name="inputSchema"/>, as <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">The input schema; its input column is checked.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new BatchedRowMapper(MakeMapper(inputSchema));
    }

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelWriter.Save(ctx, ModelKind, SaveModel);

    /// <summary>Gets how this transformer identifies itself in a model file.</summary>
    private protected abstract PersistedModelKind ModelKind { get; }

    /// <summary>Binds the model to an input schema, checking the input columns (throws <see cref="SchemaMismatchException"/>).</summary>
    /// <param name="inputSchema">The input schema.</param>
    private protected abstract BatchMapper MakeMapper(DataViewSchema inputSchema);

    /// <summary>Writes the settings and weights.</summary>
    /// <param name="writer">Collects parameters and entries.</param>
    private protected abstract void SaveModel(ModelWriter writer);
}
