using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Data;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Generates the images of a batch of rows with ONE model call (<see cref="ConditionalInnGeneration"/>): reads each
/// row's class (key or Int32, as the scoring transformer reads labels) and Int32 seed, writes the planar pixels. A
/// class that is not one of the model's (a missing key 0, an integer outside 0 … K − 1) is an
/// <see cref="InvalidDataException"/> naming the column and the classes.
/// </summary>
internal sealed class ConditionalInnGenerationMapper : BatchMapper
{
    private readonly ConditionalInnNetwork _network;
    private readonly ConditionalInnGenerationOptions _options;
    private readonly DataViewSchema.Column _condition;
    private readonly DataViewSchema.Column _seed;

    public ConditionalInnGenerationMapper(DataViewSchema inputSchema, ConditionalInnNetwork network, ConditionalInnGenerationOptions options)
        : base(inputSchema, options.BatchSize)
    {
        _network = network;
        _options = options;
        _condition = ConditionalInnColumns.RequireLabel(inputSchema, options.ConditionColumnName, network.Classes);
        _seed = InputColumns.Require(inputSchema, options.SeedColumnName, t => t == NumberDataViewType.Int32, "Int32 (the seed of the row's images)");
    }

    public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_condition, _seed];

    public override void MapBatch(RowBatch batch)
    {
        if (!batch.IsOutputActive(0))
        {
            return;
        }

        var count = batch.Count;
        var classes = new int[count];
        var isKey = _condition.Type is KeyDataViewType;
        var keys = isKey ? batch.GetInput<uint>(_condition) : default;
        var values = isKey ? default : batch.GetInput<int>(_condition);
        for (var i = 0; i < count; i++)
        {
            classes[i] = ConditionalInnColumns.ClassIndex(_condition.Name, isKey ? keys[i] : values[i], isKey, _network.Classes);
        }

        var size = _options.ImagesPerRow * _network.Dimensions;
        var pixels = new float[count * size];
        ConditionalInnGeneration.Generate(_network, classes, batch.GetInput<int>(_seed), _options.ImagesPerRow, _options.Temperature, _options.Seed, pixels);
        var outputs = batch.GetOutput<VBuffer<float>>(0);
        for (var i = 0; i < count; i++)
        {
            var editor = VBufferEditor.Create(ref outputs[i], size);
            pixels.AsSpan(i * size, size).CopyTo(editor.Values);
            outputs[i] = editor.Commit();
        }
    }

    protected override DataViewSchema.DetachedColumn[] GetOutputColumns() => [new(_options.OutputColumnName, OutputType(_network, _options.ImagesPerRow))];

    /// <summary>The output column's type: <c>Vector&lt;Single, C, H, W&gt;</c>, or <c>Vector&lt;Single, n, C, H, W&gt;</c> for n &gt; 1 images per row.</summary>
    internal static VectorDataViewType OutputType(ConditionalInnNetwork network, int imagesPerRow) => imagesPerRow == 1
        ? new VectorDataViewType(NumberDataViewType.Single, network.Channels, network.Height, network.Width)
        : new VectorDataViewType(NumberDataViewType.Single, imagesPerRow, network.Channels, network.Height, network.Width);
}
