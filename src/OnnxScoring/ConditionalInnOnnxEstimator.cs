using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// The estimator of <see cref="ConditionalInnOnnxTransformer"/> (nothing to train: <see cref="Fit"/> opens the ONNX
/// Runtime session). Made by <c>mlContext.Transforms.ScoreConditionalInnOnnx</c>; checks the file when created.
/// </summary>
public sealed class ConditionalInnOnnxEstimator : IEstimator<ConditionalInnOnnxTransformer>
{
    private readonly string _modelPath;
    private readonly string? _featureColumnName;
    private readonly string? _labelColumnName;
    private readonly int _batchSize;
    private readonly int? _threads;
    private readonly ConditionalInnOnnxDescription _description;

    internal ConditionalInnOnnxEstimator(string modelPath, string? featureColumnName, string? labelColumnName, int batchSize, int? threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using (var session = new ConditionalInnOnnxSession(modelPath, threads))
        {
            _description = session.Description;
        }

        (_modelPath, _featureColumnName, _labelColumnName, _batchSize, _threads) = (modelPath, featureColumnName, labelColumnName, batchSize, threads);
    }

    /// <summary>Opens the session; <paramref name="input"/> is only checked for the feature and label columns.</summary>
    /// <param name="input">Data with the feature column (and optionally the label column).</param>
    public ConditionalInnOnnxTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new ConditionalInnOnnxTransformer(_modelPath, _featureColumnName, _labelColumnName, _batchSize, _threads);
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

    /// <summary>The input shape plus the model's columns; throws when the feature column is missing or the label column has the wrong type.</summary>
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

        var labelName = _labelColumnName ?? _description.LabelColumnName;
        var label = inputSchema.FirstOrDefault(c => string.Equals(c.Name, labelName, StringComparison.Ordinal));
        var withLabel = label.Name is not null;
        if (withLabel && !(label.Kind == SchemaShape.Column.VectorKind.Scalar && ((label.IsKey && label.ItemType == NumberDataViewType.UInt32) || (!label.IsKey && label.ItemType == NumberDataViewType.Int32))))
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"column '{labelName}' must be {ConditionalInnOnnxTransformer.ExpectedLabel(_description.NumberOfClasses)}");
        }

        return ShapeColumns.Append(inputSchema, ConditionalInnOnnxMapper.Added(_description.NumberOfClasses, withLabel).Select(c => ShapeColumns.Of(c.Name, c.Type, c.Annotations)));
    }
}
