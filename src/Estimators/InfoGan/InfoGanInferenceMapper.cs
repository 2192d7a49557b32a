using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Data;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>
/// Infers the codes of a batch of rows with ONE inference-mode pass of the D/Q body and Q's head, and writes per
/// categorical code the most probable class (a key, 1-based) and the probability vector, then the continuous means.
/// Only active columns are written. Pixels are checked first: a row outside [0, 255] or of the wrong length is an
/// <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class InfoGanInferenceMapper : BatchMapper
{
    private readonly InfoGanNetwork _network;
    private readonly DataViewSchema.Column _features;

    public InfoGanInferenceMapper(DataViewSchema inputSchema, InfoGanNetwork network, string featureColumnName, int batchSize)
        : base(inputSchema, batchSize)
    {
        _network = network;
        var a = network.Architecture;
        _features = InfoGanColumns.RequireFeatures(inputSchema, featureColumnName, a.Channels, a.Height, a.Width);
    }

    public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_features];

    public override void MapBatch(RowBatch batch)
    {
        var a = _network.Architecture;
        var count = batch.Count;
        var dims = _network.Dimensions;
        using var pixels = new PooledArray<float>(count * dims);
        var rows = batch.GetInput<VBuffer<float>>(_features);
        for (var i = 0; i < count; i++)
        {
            InfoGanColumns.CopyPixels(_features.Name, rows[i], pixels.Span.Slice(i * dims, dims));
        }

        var units = a.CategoryUnits;
        var probabilities = new float[count * units];
        var continuous = new float[count * a.ContinuousCodes];
        _network.Infer(pixels.Span, count, probabilities, continuous);

        var output = 0;
        var offset = 0;
        foreach (var k in a.CategoryCounts)
        {
            if (batch.IsOutputActive(output))
            {
                var keys = batch.GetOutput<uint>(output);
                for (var i = 0; i < count; i++)
                {
                    var row = probabilities.AsSpan((i * units) + offset, k);
                    var best = 0;
                    for (var c = 1; c < k; c++)
                    {
                        best = row[c] > row[best] ? c : best;
                    }

                    keys[i] = (uint)best + 1;
                }
            }

            WriteVectors(batch, output + 1, count, i => probabilities.AsSpan((i * units) + offset, k));
            output += 2;
            offset += k;
        }

        if (a.ContinuousCodes > 0)
        {
            WriteVectors(batch, output, count, i => continuous.AsSpan(i * a.ContinuousCodes, a.ContinuousCodes));
        }
    }

    protected override DataViewSchema.DetachedColumn[] GetOutputColumns() => [.. InfoGanColumns.Codes(_network.Architecture)];

    private static void WriteVectors(RowBatch batch, int index, int count, SpanOf values)
    {
        if (!batch.IsOutputActive(index))
        {
            return;
        }

        var outputs = batch.GetOutput<VBuffer<float>>(index);
        for (var i = 0; i < count; i++)
        {
            var source = values(i);
            var editor = VBufferEditor.Create(ref outputs[i], source.Length);
            source.CopyTo(editor.Values);
            outputs[i] = editor.Commit();
        }
    }

    /// <summary>The values of row <paramref name="row"/> of the batch.</summary>
    private delegate Span<float> SpanOf(int row);
}
