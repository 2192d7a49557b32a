using MLNetFlows.Data;
using MLNetFlows.Estimators.Anomaly;

namespace MLNetFlows.Estimators.Glow;

/// <summary>How an anomaly transformer turns Glow's outputs into <c>Score</c> and <c>PredictedLabel</c>.</summary>
/// <param name="Kind">Which score.</param>
/// <param name="Threshold">Rows with Score above it are predicted anomalous.</param>
internal sealed record AnomalyScoring(AnomalyScoreKind Kind, float Threshold)
{
    /// <summary>The score of one image from its bits/dim and pixels (the complexity term is computed when needed).</summary>
    public static float Compute(AnomalyScoreKind kind, float bitsPerDim, ReadOnlySpan<float> pixels, GlowNetwork network) =>
        kind == AnomalyScoreKind.ComplexityCorrected
            ? bitsPerDim - InputComplexity.BitsPerDim(pixels, network.Channels, network.Height, network.Width)
            : bitsPerDim;
}

/// <summary>
/// Scores rows in batches: pulls <see cref="BatchedColumnMapper.BatchSize"/> rows through the cursor, runs ONE
/// inference-mode forward pass over them, and serves the density columns (and, for anomaly detection, the complexity,
/// score and predicted-label columns) from the batch. Only active columns are written; latents only when asked.
/// </summary>
internal sealed class GlowScoringMapper : BatchedColumnMapper
{
    private const int LogLikelihoodIndex = 0;
    private const int BitsPerDimIndex = 1;
    private const int LevelBitsIndex = 2;
    private readonly GlowNetwork _network;
    private readonly DataViewSchema.Column _features;
    private readonly bool _latent;
    private readonly AnomalyScoring? _anomaly;
    private readonly int _latentIndex;
    private readonly int _complexityIndex;

    public GlowScoringMapper(DataViewSchema inputSchema, GlowNetwork network, string featureColumnName, bool latent, AnomalyScoring? anomaly, int batchSize)
        : base(inputSchema, batchSize)
    {
        _network = network;
        _features = GlowColumns.RequireFeatures(inputSchema, featureColumnName, network.Channels, network.Height, network.Width);
        _latent = latent;
        _anomaly = anomaly;
        _latentIndex = latent ? 3 : -1;
        _complexityIndex = latent ? 4 : 3;
    }

    protected override DataViewSchema.DetachedColumn[] GetOutputColumns()
    {
        var columns = new List<DataViewSchema.DetachedColumn>
        {
            new(GlowColumns.LogLikelihood, NumberDataViewType.Single),
            new(GlowColumns.BitsPerDim, NumberDataViewType.Single),
            new(GlowColumns.LevelBitsPerDim, new VectorDataViewType(NumberDataViewType.Single, _network.Levels)),
        };
        if (_latent)
        {
            columns.Add(new(GlowColumns.Latent, new VectorDataViewType(NumberDataViewType.Single, _network.LatentDimensions)));
        }

        if (_anomaly is not null)
        {
            columns.Add(new(GlowColumns.ComplexityBitsPerDim, NumberDataViewType.Single));
            columns.Add(new(GlowColumns.Score, NumberDataViewType.Single));
            columns.Add(new(GlowColumns.PredictedLabel, BooleanDataViewType.Instance));
        }

        return [.. columns];
    }

    protected override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_features];

    protected override void MapBatch(RowBatch batch)
    {
        var count = batch.Count;
        var dims = _network.Dimensions;
        var pixels = new float[count * dims];
        var rows = batch.GetInput<VBuffer<float>>(_features);
        for (var i = 0; i < count; i++)
        {
            var values = rows[i].GetValues();
            CheckPixels(_features.Name, values, dims);
            values.CopyTo(pixels.AsSpan(i * dims, dims));
        }

        var logLikelihood = new float[count];
        var bitsPerDim = new float[count];
        var levelBits = new float[count * _network.Levels];
        var latents = _latent && batch.IsOutputActive(_latentIndex) ? new float[count * _network.LatentDimensions] : [];
        _network.Score(pixels, count, logLikelihood, bitsPerDim, levelBits, latents);

        Write(batch, LogLikelihoodIndex, logLikelihood);
        Write(batch, BitsPerDimIndex, bitsPerDim);
        WriteVectors(batch, LevelBitsIndex, levelBits, _network.Levels);
        if (latents.Length > 0)
        {
            WriteVectors(batch, _latentIndex, latents, _network.LatentDimensions);
        }

        if (_anomaly is not null)
        {
            WriteAnomaly(batch, pixels, bitsPerDim);
        }
    }

    private void WriteAnomaly(RowBatch batch, float[] pixels, float[] bitsPerDim)
    {
        var anomaly = _anomaly!;
        var count = batch.Count;
        var dims = _network.Dimensions;
        var complexity = new float[count];
        var score = new float[count];
        for (var i = 0; i < count; i++)
        {
            var image = pixels.AsSpan(i * dims, dims);
            score[i] = AnomalyScoring.Compute(anomaly.Kind, bitsPerDim[i], image, _network);
            complexity[i] = batch.IsOutputActive(_complexityIndex)
                ? InputComplexity.BitsPerDim(image, _network.Channels, _network.Height, _network.Width)
                : float.NaN;
        }

        Write(batch, _complexityIndex, complexity);
        Write(batch, _complexityIndex + 1, score);
        if (batch.IsOutputActive(_complexityIndex + 2))
        {
            var labels = batch.GetOutput<bool>(_complexityIndex + 2);
            for (var i = 0; i < count; i++)
            {
                labels[i] = score[i] > anomaly.Threshold;
            }
        }
    }

    private static void Write(RowBatch batch, int index, float[] values)
    {
        if (batch.IsOutputActive(index))
        {
            values.CopyTo(batch.GetOutput<float>(index));
        }
    }

    private static void WriteVectors(RowBatch batch, int index, float[] values, int size)
    {
        if (!batch.IsOutputActive(index))
        {
            return;
        }

        var outputs = batch.GetOutput<VBuffer<float>>(index);
        for (var i = 0; i < batch.Count; i++)
        {
            var editor = VBufferEditor.Create(ref outputs[i], size);
            values.AsSpan(i * size, size).CopyTo(editor.Values);
            outputs[i] = editor.Commit();
        }
    }

    /// <summary>Throws an <see cref="InvalidDataException"/> unless <paramref name="values"/> are <paramref name="dims"/> pixel values in [0, 255].</summary>
    internal static void CheckPixels(string column, ReadOnlySpan<float> values, int dims)
    {
        if (values.Length != dims)
        {
            throw new InvalidDataException($"column '{column}' has a row of {values.Length} values, expected {dims}");
        }

        foreach (var v in values)
        {
            if (!(v >= 0 && v <= 255))
            {
                throw new InvalidDataException($"column '{column}' holds the value {v}; Glow expects pixel values in [0, 255] (ExtractPixels with offsetImage 0 and scaleImage 1)");
            }
        }
    }
}
