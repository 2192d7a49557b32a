using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// Scores images with an exported Glow density model or anomaly detector in ONNX Runtime, <see cref="BatchSize"/>
/// rows per run (ML.NET's <c>ApplyOnnxModel</c> makes one run per row), without TorchSharp. Adds the columns the
/// TorchSharp transformer adds, with the same names and types: <c>LogLikelihood</c>, <c>BitsPerDim</c> (Single),
/// <c>LevelBitsPerDim</c> (Vector&lt;Single, L&gt;), <c>Latent</c> when exported with it, and for detectors
/// <c>Score</c> (Single) and <c>PredictedLabel</c> (Boolean). Rows are checked like the TorchSharp transformer checks
/// them (C·H·W values in [0, 255]). Create it with <c>mlContext.Transforms.ScoreGlowOnnx(modelFile)</c>; dispose it to
/// free the ONNX Runtime session. It is not saved with <c>mlContext.Model.Save</c>: the .onnx file is the model.
/// </summary>
public sealed class GlowOnnxTransformer : ITransformer, IDisposable
{
    internal GlowOnnxTransformer(string modelPath, string? featureColumnName, int batchSize, int? threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ModelPath = modelPath;
        BatchSize = batchSize;
        Session = new GlowOnnxSession(modelPath, threads);
        FeatureColumnName = featureColumnName ?? Session.Description.FeatureColumnName;
    }

    /// <summary>
    /// Opens an exported Glow density model or detector for scoring (without an estimator, e.g. in a batch job); throws
    /// an <see cref="InvalidDataException"/> naming the problem for a file that is not one, or does not match its metadata.
    /// </summary>
    /// <param name="modelFile">The exported .onnx file.</param>
    /// <param name="featureColumnName">The pixel column; null uses the one the model was trained on (from the file).</param>
    /// <param name="batchSize">Rows per ONNX Runtime run.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads, or null for its default (one per core).</param>
    public static GlowOnnxTransformer Load(string modelFile, string? featureColumnName = null, int batchSize = 64, int? threads = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelFile);
        return new GlowOnnxTransformer(modelFile, featureColumnName, batchSize, threads);
    }

    /// <summary>Gets the .onnx file.</summary>
    public string ModelPath { get; }

    /// <summary>Gets the input column of planar pixel values in [0, 255].</summary>
    public string FeatureColumnName { get; }

    /// <summary>Gets the rows per ONNX Runtime run.</summary>
    public int BatchSize { get; }

    /// <summary>Gets what the file says about itself (kind, image geometry, bits, threshold).</summary>
    public GlowOnnxDescription Description => Session.Description;

    /// <summary>Gets false: rows are scored in batches through <see cref="Transform"/>.</summary>
    public bool IsRowToRowMapper => false;

    internal GlowOnnxSession Session { get; }

    /// <summary>The input schema plus the model's columns; throws when the feature column is missing or of the wrong type.</summary>
    /// <param name="inputSchema">The schema of the data to score.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        RequireFeatures(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var (name, type) in OutputColumns(Description))
        {
            builder.AddColumn(name, type);
        }

        return builder.ToSchema();
    }

    /// <summary>Not supported: <see cref="Transform"/> scores in batches.</summary>
    /// <param name="inputSchema">Unused.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException("GlowOnnxTransformer scores rows in batches through Transform; for one row at a time use ML.NET's ApplyOnnxModel on the same file");

    /// <summary>The lazy scored view: one ONNX Runtime run per batch of rows, only when a model column is read.</summary>
    /// <param name="input">Rows with the feature column.</param>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new OnnxBatchDataView(input, new GlowOnnxMapper(input.Schema, this, RequireFeatures(input.Schema)));
    }

    /// <summary>Not supported: the .onnx file is the model; create the transformer again from it.</summary>
    /// <param name="ctx">Unused.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException($"a GlowOnnxTransformer is not saved with mlContext.Model.Save: keep the ONNX file '{ModelPath}' and create the transformer again with mlContext.Transforms.ScoreGlowOnnx");

    /// <summary>Frees the ONNX Runtime session.</summary>
    public void Dispose() => Session.Dispose();

    /// <summary>
    /// The columns a file of <paramref name="description"/> adds, named, ordered and typed as the TorchSharp transformer's:
    /// the graph's outputs, with ComplexityBitsPerDim (computed here, PNG) before a detector's Score.
    /// </summary>
    internal static IEnumerable<(string Name, DataViewType Type)> OutputColumns(GlowOnnxDescription description)
    {
        foreach (var (name, size) in GlowOnnxSession.ExpectedOutputs(description))
        {
            if (name == GlowOnnxNames.Score)
            {
                yield return (GlowOnnxNames.ComplexityBitsPerDim, NumberDataViewType.Single);
            }

            yield return (name, name switch
            {
                GlowOnnxNames.PredictedLabel => BooleanDataViewType.Instance,
                GlowOnnxNames.LevelBitsPerDim or GlowOnnxNames.Latent => new VectorDataViewType(NumberDataViewType.Single, size),
                _ => NumberDataViewType.Single,
            });
        }
    }

    /// <summary>
    /// Scores <paramref name="count"/> images in one run and returns the added columns' values in
    /// <see cref="OutputColumns"/> order; the PNG complexity is computed when the score needs it or
    /// <paramref name="complexityRequested"/> (else NaN, never served).
    /// </summary>
    internal Array[] Score(float[] pixels, int count, bool complexityRequested)
    {
        var d = Description;
        float[]? complexity = null;
        if (Session.TakesComplexity || (complexityRequested && d.Kind == GlowOnnxKind.Anomaly))
        {
            complexity = new float[count];
            for (var i = 0; i < count; i++)
            {
                complexity[i] = PngBitsPerDim(pixels.AsSpan(i * d.ImageDimensions, d.ImageDimensions));
            }
        }

        var outputs = Session.Run(pixels, count, complexity);
        return [.. OutputColumns(d).Select(c => c.Name == GlowOnnxNames.ComplexityBitsPerDim
            ? complexity ?? Enumerable.Repeat(float.NaN, count).ToArray()
            : outputs[c.Name])];
    }

    /// <summary>
    /// The input-complexity term of Serrà et al. (2020) exactly as the TorchSharp detector computes it: the size of
    /// the image as PNG (zlib level 9, through MLNetFlows.Transforms' encoder) in bits per pixel value.
    /// </summary>
    private float PngBitsPerDim(ReadOnlySpan<float> planarPixels)
    {
        var d = Description;
        return PngEncoding.EncodePlanar(planarPixels, d.Channels, d.Height, d.Width, compressionLevel: 9).Length * 8f / planarPixels.Length;
    }

    private DataViewSchema.Column RequireFeatures(DataViewSchema schema)
    {
        var d = Description;
        var expected = string.Create(CultureInfo.InvariantCulture, $"Vector<Single, {d.Channels}, {d.Height}, {d.Width}> or Vector<Single, {d.ImageDimensions}> (planar pixel values in [0, 255])");
        var column = schema.GetColumnOrNull(FeatureColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"the input has no column '{FeatureColumnName}'; expected {expected}");
        return column.Type is VectorDataViewType { ItemType: var item, Size: var size } && item == NumberDataViewType.Single && size == d.ImageDimensions
            ? column
            : throw new ArgumentOutOfRangeException(nameof(schema), $"column '{FeatureColumnName}' is {column.Type}; expected {expected}");
    }
}
