using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// Scores images with an exported class-conditional INN in ONNX Runtime, <see cref="BatchSize"/> rows per run (ML.NET's
/// <c>ApplyOnnxModel</c> makes one run per row), without TorchSharp. Adds the columns the TorchSharp
/// <c>ConditionalInnTransformer</c> adds, with the same names, types and annotations: <c>LogLikelihood</c> and
/// <c>BitsPerDim</c> (Single, given the row's label; only when the input has the label column), <c>Score</c>
/// (Vector&lt;Single, K&gt;, the posterior over the classes) and <c>PredictedLabel</c> (Key&lt;UInt32, K&gt;, the MAP
/// class), so <c>mlContext.MulticlassClassification.Evaluate</c> reads the result as it reads TorchSharp's. Create it with
/// <c>mlContext.Transforms.ScoreConditionalInnOnnx(modelFile)</c>; dispose it to free the ONNX Runtime session. It is
/// not saved with <c>mlContext.Model.Save</c>: the .onnx file is the model.
/// </summary>
public sealed class ConditionalInnOnnxTransformer : ITransformer, IDisposable
{
    internal ConditionalInnOnnxTransformer(string modelPath, string? featureColumnName, string? labelColumnName, int batchSize, int? threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ModelPath = modelPath;
        BatchSize = batchSize;
        Session = new ConditionalInnOnnxSession(modelPath, threads);
        FeatureColumnName = featureColumnName ?? Session.Description.FeatureColumnName;
        LabelColumnName = labelColumnName ?? Session.Description.LabelColumnName;
    }

    /// <summary>
    /// Opens an exported class-conditional INN density file for scoring (without an estimator, e.g. in a batch job);
    /// throws an <see cref="InvalidDataException"/> naming the problem for a file that is not one, or does not match its metadata.
    /// </summary>
    /// <param name="modelFile">The exported .onnx file (density direction).</param>
    /// <param name="featureColumnName">The pixel column; null uses the one the model was trained on (from the file).</param>
    /// <param name="labelColumnName">The label column (Key&lt;UInt32, K&gt; or Int32), read when present; null uses the one the model was trained on.</param>
    /// <param name="batchSize">Rows per ONNX Runtime run.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads, or null for its default (one per core).</param>
    public static ConditionalInnOnnxTransformer Load(string modelFile, string? featureColumnName = null, string? labelColumnName = null, int batchSize = 64, int? threads = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelFile);
        return new ConditionalInnOnnxTransformer(modelFile, featureColumnName, labelColumnName, batchSize, threads);
    }

    /// <summary>Gets the .onnx file.</summary>
    public string ModelPath { get; }

    /// <summary>Gets the input column of planar pixel values in [0, 255].</summary>
    public string FeatureColumnName { get; }

    /// <summary>Gets the label column, read when present (for LogLikelihood and BitsPerDim).</summary>
    public string LabelColumnName { get; }

    /// <summary>Gets the rows per ONNX Runtime run.</summary>
    public int BatchSize { get; }

    /// <summary>Gets what the file says about itself (image geometry, bits, classes, columns).</summary>
    public ConditionalInnOnnxDescription Description => Session.Description;

    /// <summary>Gets false: rows are scored in batches through <see cref="Transform"/>.</summary>
    public bool IsRowToRowMapper => false;

    internal ConditionalInnOnnxSession Session { get; }

    /// <summary>The input schema plus the model's columns; throws when the feature or label column has the wrong type.</summary>
    /// <param name="inputSchema">The schema of the data to score.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Bind(inputSchema).OutputSchema;
    }

    /// <summary>Not supported: <see cref="Transform"/> scores in batches.</summary>
    /// <param name="inputSchema">Unused.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException("ConditionalInnOnnxTransformer scores rows in batches through Transform; for one row at a time use ML.NET's ApplyOnnxModel on the same file");

    /// <summary>The lazy scored view: one ONNX Runtime run per batch of rows, only when a model column is read.</summary>
    /// <param name="input">Rows with the feature column (and the label column for LogLikelihood and BitsPerDim).</param>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new OnnxBatchDataView(input, Bind(input.Schema));
    }

    /// <summary>Not supported: the .onnx file is the model; create the transformer again from it.</summary>
    /// <param name="ctx">Unused.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException($"a ConditionalInnOnnxTransformer is not saved with mlContext.Model.Save: keep the ONNX file '{ModelPath}' and create the transformer again with mlContext.Transforms.ScoreConditionalInnOnnx");

    /// <summary>Frees the ONNX Runtime session.</summary>
    public void Dispose() => Session.Dispose();

    /// <summary>What a label column must be, as the TorchSharp transformer says it.</summary>
    internal static string ExpectedLabel(int classes) => string.Create(CultureInfo.InvariantCulture,
        $"Key<UInt32, 0-{classes - 1}> (one key per class) or Int32 (class indices 0 … {classes - 1})");

    private ConditionalInnOnnxMapper Bind(DataViewSchema schema)
    {
        var d = Description;
        var expected = string.Create(CultureInfo.InvariantCulture, $"Vector<Single, {d.Channels}, {d.Height}, {d.Width}> or Vector<Single, {d.ImageDimensions}> (planar pixel values in [0, 255])");
        var features = schema.GetColumnOrNull(FeatureColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"the input has no column '{FeatureColumnName}'; expected {expected}");
        if (features.Type is not VectorDataViewType { ItemType: var item, Size: var size } || item != NumberDataViewType.Single || size != d.ImageDimensions)
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"column '{FeatureColumnName}' is {features.Type}; expected {expected}");
        }

        var label = schema.GetColumnOrNull(LabelColumnName);
        if (label is { } l && !(l.Type == NumberDataViewType.Int32 || (l.Type is KeyDataViewType { RawType: var raw, Count: var count } && raw == typeof(uint) && count == (ulong)d.NumberOfClasses)))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"column '{LabelColumnName}' is {l.Type}; expected {ExpectedLabel(d.NumberOfClasses)}");
        }

        return new ConditionalInnOnnxMapper(schema, this, features, label);
    }
}
