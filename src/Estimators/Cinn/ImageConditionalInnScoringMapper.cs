using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Trainers;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Scores a batch of rows with at most two inference-mode model calls: the density pass (LogLikelihood and BitsPerDim,
/// only when the input has the feature column and they are read) and the sampling pass (Sample and, for colorization
/// models, Colorized). Each row's latent is drawn from (sampling seed, fingerprint of its condition image), so a row gets
/// the same sample in every pass, batch and order. Values outside [0, 255] and rows of the wrong length are
/// <see cref="InvalidDataException"/>s.
/// </summary>
internal sealed class ImageConditionalInnScoringMapper : BatchMapper
{
    /// <summary>The <see cref="SeedSequence"/> stream of the per-row latents.</summary>
    internal const ulong SampleStream = 16;

    private readonly ImageConditionalInnNetwork _network;
    private readonly DataViewSchema.Column? _features;
    private readonly DataViewSchema.Column _condition;
    private readonly double _temperature;
    private readonly int _seed;
    private readonly int _sampleIndex;

    public ImageConditionalInnScoringMapper(DataViewSchema inputSchema, ImageConditionalInnNetwork network, string featureColumnName, string conditionColumnName, int batchSize, double temperature, int seed)
        : base(inputSchema, batchSize)
    {
        _network = network;
        _condition = ImageConditionalInnColumns.RequireCondition(inputSchema, conditionColumnName, network.ConditionChannels, network.Height, network.Width);
        _features = inputSchema.GetColumnOrNull(featureColumnName) is not null
            ? ConditionalInnColumns.RequireFeatures(inputSchema, featureColumnName, network.Channels, network.Height, network.Width)
            : null;
        (_temperature, _seed) = (temperature, seed);
        _sampleIndex = _features is null ? 0 : 2;
    }

    public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) =>
        outputIndex < _sampleIndex ? [_features!.Value, _condition] : [_condition];

    public override void MapBatch(RowBatch batch)
    {
        var count = batch.Count;
        var conditionDims = _network.ConditionDimensions;
        using var conditions = new PooledArray<float>(count * conditionDims);
        var conditionRows = batch.GetInput<VBuffer<float>>(_condition);
        for (var i = 0; i < count; i++)
        {
            GlowScoringMapper.CopyPixels(_condition.Name, conditionRows[i], conditions.Span.Slice(i * conditionDims, conditionDims));
        }

        if (_features is { } features && (batch.IsOutputActive(0) || batch.IsOutputActive(1)))
        {
            var dims = _network.Dimensions;
            using var pixels = new PooledArray<float>(count * dims);
            var rows = batch.GetInput<VBuffer<float>>(features);
            for (var i = 0; i < count; i++)
            {
                GlowScoringMapper.CopyPixels(features.Name, rows[i], pixels.Span.Slice(i * dims, dims));
            }

            var logLikelihood = new float[count];
            var bitsPerDim = new float[count];
            _network.Score(pixels.Span, conditions.Span, count, logLikelihood, bitsPerDim);
            Write(batch, 0, logLikelihood);
            Write(batch, 1, bitsPerDim);
        }

        var colorized = _network.IsColorization && batch.IsOutputActive(_sampleIndex + 1);
        if (batch.IsOutputActive(_sampleIndex) || colorized)
        {
            var seeds = new ulong[count];
            for (var i = 0; i < count; i++)
            {
                seeds[i] = SeedSequence.Derive(_seed, SampleStream, LatentNoise.Fingerprint(conditions.Span.Slice(i * conditionDims, conditionDims)));
            }

            var dims = _network.Dimensions;
            using var samples = new PooledArray<float>(count * dims);
            _network.Sample(conditions.Span, count, _temperature, seeds, samples.Span);
            if (batch.IsOutputActive(_sampleIndex))
            {
                WriteVectors(batch.GetOutput<VBuffer<float>>(_sampleIndex), samples.Span, dims);
            }

            if (colorized)
            {
                var plane = _network.Height * _network.Width;
                using var rgb = new PooledArray<float>(count * 3 * plane);
                for (var i = 0; i < count; i++)
                {
                    YCbCrColor.ToRgb(conditions.Span.Slice(i * plane, plane), samples.Span.Slice(i * dims, dims), rgb.Span.Slice(i * 3 * plane, 3 * plane));
                }

                WriteVectors(batch.GetOutput<VBuffer<float>>(_sampleIndex + 1), rgb.Span, 3 * plane);
            }
        }
    }

    protected override DataViewSchema.DetachedColumn[] GetOutputColumns() =>
        [.. ImageConditionalInnColumns.Added(_network.Channels, _network.Height, _network.Width, _features is not null, _network.IsColorization)];

    private static void Write(RowBatch batch, int index, float[] values)
    {
        if (batch.IsOutputActive(index))
        {
            values.CopyTo(batch.GetOutput<float>(index));
        }
    }

    private static void WriteVectors(Span<VBuffer<float>> outputs, ReadOnlySpan<float> values, int size)
    {
        for (var i = 0; i < outputs.Length; i++)
        {
            var editor = VBufferEditor.Create(ref outputs[i], size);
            values.Slice(i * size, size).CopyTo(editor.Values);
            outputs[i] = editor.Commit();
        }
    }
}
