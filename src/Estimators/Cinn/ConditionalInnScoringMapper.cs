using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Scores a batch of rows with ONE inference-mode pass of every row under every class and writes the active columns:
/// LogLikelihood and BitsPerDim given the row's label (only when the input has the label column), Score (posterior over
/// the classes) and PredictedLabel. Pixels outside [0, 255], rows of the wrong length and labels that are no class of the
/// model are <see cref="InvalidDataException"/>s.
/// </summary>
internal sealed class ConditionalInnScoringMapper : BatchMapper
{
    private readonly ConditionalInnNetwork _network;
    private readonly DataViewSchema.Column _features;
    private readonly DataViewSchema.Column? _label;
    private readonly int _scoreIndex;

    public ConditionalInnScoringMapper(DataViewSchema inputSchema, ConditionalInnNetwork network, string featureColumnName, string labelColumnName, int batchSize)
        : base(inputSchema, batchSize)
    {
        _network = network;
        _features = ConditionalInnColumns.RequireFeatures(inputSchema, featureColumnName, network.Channels, network.Height, network.Width);
        _label = inputSchema.GetColumnOrNull(labelColumnName) is { } label
            ? ConditionalInnColumns.RequireLabel(inputSchema, labelColumnName, network.Classes)
            : null;
        _scoreIndex = _label is null ? 0 : 2;
    }

    public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) =>
        outputIndex < _scoreIndex ? [_features, _label!.Value] : [_features];

    public override void MapBatch(RowBatch batch)
    {
        var count = batch.Count;
        var dims = _network.Dimensions;
        using var pixels = new PooledArray<float>(count * dims);
        var rows = batch.GetInput<VBuffer<float>>(_features);
        for (var i = 0; i < count; i++)
        {
            GlowScoringMapper.CopyPixels(_features.Name, rows[i], pixels.Span.Slice(i * dims, dims));
        }

        var withLabel = _label is not null && (batch.IsOutputActive(0) || batch.IsOutputActive(1));
        var classes = withLabel ? ReadClasses(batch, _label!.Value) : [];
        var logLikelihood = new float[count];
        var bitsPerDim = new float[count];
        var posteriors = new float[count * _network.Classes];
        var predicted = new int[count];
        _network.Score(pixels.Span, count, classes, logLikelihood, bitsPerDim, posteriors, predicted);
        if (withLabel)
        {
            Write(batch, 0, logLikelihood);
            Write(batch, 1, bitsPerDim);
        }

        if (batch.IsOutputActive(_scoreIndex))
        {
            var outputs = batch.GetOutput<VBuffer<float>>(_scoreIndex);
            for (var i = 0; i < count; i++)
            {
                var editor = VBufferEditor.Create(ref outputs[i], _network.Classes);
                posteriors.AsSpan(i * _network.Classes, _network.Classes).CopyTo(editor.Values);
                outputs[i] = editor.Commit();
            }
        }

        if (batch.IsOutputActive(_scoreIndex + 1))
        {
            var keys = batch.GetOutput<uint>(_scoreIndex + 1);
            for (var i = 0; i < count; i++)
            {
                keys[i] = (uint)predicted[i] + 1;
            }
        }
    }

    protected override DataViewSchema.DetachedColumn[] GetOutputColumns() => [.. ConditionalInnColumns.Added(_network.Classes, _label is not null)];

    private static void Write(RowBatch batch, int index, float[] values)
    {
        if (batch.IsOutputActive(index))
        {
            values.CopyTo(batch.GetOutput<float>(index));
        }
    }

    private int[] ReadClasses(RowBatch batch, DataViewSchema.Column label)
    {
        var classes = new int[batch.Count];
        if (label.Type is KeyDataViewType)
        {
            var keys = batch.GetInput<uint>(label);
            for (var i = 0; i < classes.Length; i++)
            {
                classes[i] = ConditionalInnColumns.ClassIndex(label.Name, keys[i], isKey: true, _network.Classes);
            }
        }
        else
        {
            var values = batch.GetInput<int>(label);
            for (var i = 0; i < classes.Length; i++)
            {
                classes[i] = ConditionalInnColumns.ClassIndex(label.Name, values[i], isKey: false, _network.Classes);
            }
        }

        return classes;
    }
}
