using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Data;

namespace MLNetFlows.Estimators.Glow;

/// <summary>
/// Scores a batch of rows with ONE inference-mode forward pass and writes the density columns (and, for anomaly
/// detection, the complexity, score and predicted-label columns). Only active columns are written; latents only when
/// asked. Pixels are checked first: a row outside [0, 255] or of the wrong length is an <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class GlowScoringMapper : BatchMapper
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

    /// <summary>Throws an <see cref="InvalidDataException"/> unless <paramref name="values"/> are <paramref name="dims"/> pixel values in [0, 255].</summary>
    public static void CheckPixels(string column, ReadOnlySpan<float> values, int dims)
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

    /// <summary>Copies a row's pixels (dense or sparse) into <paramref name="destination"/> after checking them.</summary>
    public static void CopyPixels(string column, in VBuffer<float> row, Span<float> destination)
    {
        if (row.IsDense)
        {
            CheckPixels(column, row.GetValues(), destination.Length);
            row.GetValues().CopyTo(destination);
            return;
        }

        var dense = row.DenseValues().ToArray();
        CheckPixels(column, dense, destination.Length);
        dense.CopyTo(destination);
    }

    public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_features];

    public override void MapBatch(RowBatch batch)
    {
        var count = batch.Count;
        var dims = _network.Dimensions;
        using var pixels = new PooledArray<float>(count * dims);
        var rows = batch.GetInput<VBuffer<float>>(_features);
        for (var i = 0; i < count; i++)
        {
            CopyPixels(_features.Name, rows[i], pixels.Span.Slice(i * dims, dims));
        }

        var logLikelihood = new float[count];
        var bitsPerDim = new float[count];
        var levelBits = new float[count * _network.Levels];
        var latents = _latent && batch.IsOutputActive(_latentIndex) ? new float[count * _network.LatentDimensions] : [];
        _network.Score(pixels.Span, count, logLikelihood, bitsPerDim, levelBits, latents);

        Write(batch, LogLikelihoodIndex, logLikelihood);
        Write(batch, BitsPerDimIndex, bitsPerDim);
        WriteVectors(batch, LevelBitsIndex, levelBits, _network.Levels);
        if (latents.Length > 0)
        {
            WriteVectors(batch, _latentIndex, latents, _network.LatentDimensions);
        }

        if (_anomaly is not null)
        {
            WriteAnomaly(batch, _anomaly, pixels.Span, bitsPerDim);
        }
    }

    protected override DataViewSchema.DetachedColumn[] GetOutputColumns()
    {
        var density = GlowColumns.Density(_network.Levels, _network.LatentDimensions, _latent);
        return [.. _anomaly is null ? density : density.Concat(GlowColumns.Anomaly())];
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

    private void WriteAnomaly(RowBatch batch, AnomalyScoring anomaly, ReadOnlySpan<float> pixels, float[] bitsPerDim)
    {
        var count = batch.Count;
        var dims = _network.Dimensions;
        var complexity = new float[count];
        var score = new float[count];
        for (var i = 0; i < count; i++)
        {
            var image = pixels.Slice(i * dims, dims);
            complexity[i] = anomaly.Kind == AnomalyScoreKind.ComplexityCorrected || batch.IsOutputActive(_complexityIndex)
                ? InputComplexity.BitsPerDim(image, _network.Channels, _network.Height, _network.Width)
                : float.NaN;
            score[i] = anomaly.Kind == AnomalyScoreKind.ComplexityCorrected ? bitsPerDim[i] - complexity[i] : bitsPerDim[i];
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
}
