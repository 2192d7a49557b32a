using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// A <see cref="ConditionalInnOnnxTransformer"/> bound to an input schema, adding what the TorchSharp transformer adds:
/// LogLikelihood and BitsPerDim given the row's label (only when the input has the label column), Score (the posterior
/// over the classes) and PredictedLabel (a key), with the same names, types and annotations. One run per batch; the
/// label becomes the one-hot Condition input. Labels that are no class of the model are <see cref="InvalidDataException"/>s
/// with the TorchSharp transformer's messages.
/// </summary>
internal sealed class ConditionalInnOnnxMapper : OnnxBatchMapper
{
    private readonly ConditionalInnOnnxSession _session;
    private readonly DataViewSchema.Column _features;
    private readonly DataViewSchema.Column? _label;

    public ConditionalInnOnnxMapper(DataViewSchema inputSchema, ConditionalInnOnnxTransformer transformer, DataViewSchema.Column features, DataViewSchema.Column? label)
        : base(inputSchema, transformer.BatchSize)
    {
        _session = transformer.Session;
        _features = features;
        _label = label;
        OutputColumns = [.. Added(transformer.Description.NumberOfClasses, label is not null)];
        Dependencies = label is { } l ? [features, l] : [features];
    }

    public override IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns { get; }

    public override IReadOnlyList<DataViewSchema.Column> Dependencies { get; }

    /// <summary>The added columns: LogLikelihood and BitsPerDim (with the label column), Score, PredictedLabel.</summary>
    public static IEnumerable<DataViewSchema.DetachedColumn> Added(int classes, bool withLabel)
    {
        if (withLabel)
        {
            yield return new(ConditionalInnOnnxNames.LogLikelihood, NumberDataViewType.Single);
            yield return new(ConditionalInnOnnxNames.BitsPerDim, NumberDataViewType.Single);
        }

        yield return new(ConditionalInnOnnxNames.Score, new VectorDataViewType(NumberDataViewType.Single, classes), ScoreAnnotations("Score"));
        yield return new(ConditionalInnOnnxNames.PredictedLabel, new KeyDataViewType(typeof(uint), classes), ScoreAnnotations("PredictedLabel"));
    }

    public override Array[] MapBatch(OnnxBatch batch)
    {
        var d = _session.Description;
        var (count, classes) = (batch.Count, d.NumberOfClasses);
        var pixels = PixelRows.Copy(_features.Name, batch.Input<VBuffer<float>>(_features), d.ImageDimensions);
        var conditions = new float[count * classes];
        var withLabel = _label is { } label && (batch.IsOutputActive(0) || batch.IsOutputActive(1));
        if (withLabel)
        {
            var indices = Classes(batch, _label!.Value, classes);
            for (var i = 0; i < count; i++)
            {
                conditions[(i * classes) + indices[i]] = 1;
            }
        }

        string[] names = withLabel
            ? [ConditionalInnOnnxNames.LogLikelihood, ConditionalInnOnnxNames.BitsPerDim, ConditionalInnOnnxNames.Score, ConditionalInnOnnxNames.PredictedLabel]
            : [ConditionalInnOnnxNames.Score, ConditionalInnOnnxNames.PredictedLabel];
        var outputs = _session.Run(pixels, conditions, count, names);
        var keys = Array.ConvertAll((long[])outputs[^1], k => (uint)(k + 1));
        return _label is null
            ? [outputs[0], keys]
            : withLabel ? [outputs[0], outputs[1], outputs[2], keys] : [new float[count], new float[count], outputs[0], keys];
    }

    /// <summary>The 0-based class of each row's label: a key value k + 1 → k, an Int32 k → k, checked against the classes.</summary>
    private static int[] Classes(OnnxBatch batch, DataViewSchema.Column label, int classes)
    {
        var indices = new int[batch.Count];
        if (label.Type is KeyDataViewType)
        {
            var keys = batch.Input<uint>(label);
            for (var i = 0; i < indices.Length; i++)
            {
                indices[i] = keys[i] >= 1 && keys[i] <= classes
                    ? (int)keys[i] - 1
                    : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"column '{label.Name}' holds the key value {keys[i]}, which is not a class of this model: expected key values 1 … {classes} (classes 0 … {classes - 1}); 0 marks a missing label"));
            }
        }
        else
        {
            var values = batch.Input<int>(label);
            for (var i = 0; i < indices.Length; i++)
            {
                indices[i] = values[i] >= 0 && values[i] < classes
                    ? values[i]
                    : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"column '{label.Name}' holds the class {values[i]}, which is not a class of this model: expected class indices 0 … {classes - 1}"));
            }
        }

        return indices;
    }

    private static DataViewSchema.Annotations ScoreAnnotations(string valueKind)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("ScoreColumnKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = "MulticlassClassification".AsMemory());
        builder.Add("ScoreValueKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = valueKind.AsMemory());
        return builder.ToAnnotations();
    }
}
