using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// The estimator of <see cref="GlowOnnxTransformer"/> (nothing to train: <see cref="Fit"/> opens the ONNX Runtime
/// session). Made by <c>mlContext.Transforms.ScoreGlowOnnx</c>; checks the file when created.
/// </summary>
public sealed class GlowOnnxEstimator : IEstimator<GlowOnnxTransformer>
{
    private readonly string _modelPath;
    private readonly string? _featureColumnName;
    private readonly int _batchSize;
    private readonly int? _threads;
    private readonly GlowOnnxDescription _description;

    internal GlowOnnxEstimator(string modelPath, string? featureColumnName, int batchSize, int? threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using (var session = new GlowOnnxSession(modelPath, threads))
        {
            _description = session.Description;
        }

        (_modelPath, _featureColumnName, _batchSize, _threads) = (modelPath, featureColumnName, batchSize, threads);
    }

    /// <summary>Opens the session; <paramref name="input"/> is only checked for the feature column.</summary>
    /// <param name="input">Data with the feature column.</param>
    public GlowOnnxTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new GlowOnnxTransformer(_modelPath, _featureColumnName, _batchSize, _threads);
        try
        {
            _ = transformer.GetOutputSchema(input.Schema);
            return transformer;
        }
        catch
        {
            transformer.Dispose();
            throw;
        }
    }

    /// <summary>The input shape plus the model's columns; throws when the feature column is missing or not a Single vector.</summary>
    /// <param name="inputSchema">The shape of the data to score.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var name = _featureColumnName ?? _description.FeatureColumnName;
        var features = inputSchema.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
        if (features.Name is null || features.Kind != SchemaShape.Column.VectorKind.Vector || features.ItemType != NumberDataViewType.Single || features.IsKey)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"the input needs a column '{name}' of Vector<Single, {_description.ImageDimensions}> (planar pixel values in [0, 255])");
        }

        return ShapeColumns.Append(inputSchema, GlowOnnxTransformer.OutputColumns(_description).Select(c => ShapeColumns.Of(c.Name, c.Type)));
    }
}
