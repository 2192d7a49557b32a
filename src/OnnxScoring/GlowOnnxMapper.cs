using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring;

/// <summary>A <see cref="GlowOnnxTransformer"/> bound to an input schema: reads the pixel column, one run per batch.</summary>
internal sealed class GlowOnnxMapper : OnnxBatchMapper
{
    private readonly GlowOnnxTransformer _transformer;
    private readonly DataViewSchema.Column _features;
    private readonly int _complexityIndex;

    public GlowOnnxMapper(DataViewSchema inputSchema, GlowOnnxTransformer transformer, DataViewSchema.Column features)
        : base(inputSchema, transformer.BatchSize)
    {
        _transformer = transformer;
        _features = features;
        OutputColumns = [.. GlowOnnxTransformer.OutputColumns(transformer.Description).Select(c => new DataViewSchema.DetachedColumn(c.Name, c.Type))];
        Dependencies = [features];
        _complexityIndex = OutputColumns.Select(c => c.Name).ToList().IndexOf(GlowOnnxNames.ComplexityBitsPerDim);
    }

    public override IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns { get; }

    public override IReadOnlyList<DataViewSchema.Column> Dependencies { get; }

    public override Array[] MapBatch(OnnxBatch batch)
    {
        var pixels = PixelRows.Copy(_transformer.FeatureColumnName, batch.Input<VBuffer<float>>(_features), _transformer.Description.ImageDimensions);
        return _transformer.Score(pixels, batch.Count, _complexityIndex >= 0 && batch.IsOutputActive(_complexityIndex));
    }
}
