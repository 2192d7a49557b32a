using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNetFlows.Estimators.Data;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>
/// Generates one image per row from code columns with ONE generator pass per batch: per categorical code a key column
/// (<c>Category</c>, <c>Category1</c>, …: key k is class k − 1, as the inference columns give them), the
/// <c>Continuous</c> vector and an Int32 seed column (the noise). Writes the planar pixels in [0, 255] and the same
/// image as an <see cref="MLImage"/> (<see cref="InfoGanImageConversion"/>). A missing key
/// (0) is an <see cref="InvalidDataException"/> naming the row's column.
/// </summary>
internal sealed class InfoGanGenerationMapper : BatchMapper
{
    private readonly InfoGanNetwork _network;
    private readonly DataViewSchema.Column[] _categories;
    private readonly DataViewSchema.Column? _continuous;
    private readonly DataViewSchema.Column _seed;
    private readonly string _outputColumnName;
    private readonly string _imageColumnName;

    public InfoGanGenerationMapper(DataViewSchema inputSchema, InfoGanNetwork network, InfoGanGenerationColumns columns, int batchSize)
        : base(inputSchema, batchSize)
    {
        _network = network;
        var a = network.Architecture;
        _categories = [.. a.CategoryCounts.Select((k, i) => InputColumns.Require(inputSchema, columns.CategoryColumnOf(i),
            t => t is KeyDataViewType key && key.Count == (ulong)k && key.RawType == typeof(uint),
            string.Create(CultureInfo.InvariantCulture, $"Key<UInt32, 0-{k - 1}> (the class of categorical code {i}, as the Category column of this model's inference)")))];
        _continuous = a.ContinuousCodes == 0 ? null : InputColumns.Require(inputSchema, columns.ContinuousColumnName,
            t => t is VectorDataViewType { ItemType: var item, Size: var size } && item == NumberDataViewType.Single && size == a.ContinuousCodes,
            string.Create(CultureInfo.InvariantCulture, $"Vector<Single, {a.ContinuousCodes}> (the continuous codes)"));
        _seed = InputColumns.Require(inputSchema, columns.SeedColumnName, t => t == NumberDataViewType.Int32, "Int32 (the seed of the row's noise)");
        _outputColumnName = columns.OutputColumnName;
        _imageColumnName = columns.ImageColumnName;
    }

    public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) =>
        _continuous is { } continuous ? [.. _categories, continuous, _seed] : [.. _categories, _seed];

    public override void MapBatch(RowBatch batch)
    {
        var (writePixels, writeImages) = (batch.IsOutputActive(0), HasImageColumn(_network.Architecture) && batch.IsOutputActive(1));
        if (!writePixels && !writeImages)
        {
            return;
        }

        var a = _network.Architecture;
        var count = batch.Count;
        var codes = a.CategoryCounts.Count;
        var classes = new long[count * codes];
        for (var c = 0; c < codes; c++)
        {
            var keys = batch.GetInput<uint>(_categories[c]);
            for (var i = 0; i < count; i++)
            {
                classes[(i * codes) + c] = keys[i] == 0
                    ? throw new InvalidDataException($"column '{_categories[c].Name}' has a missing key (0) in a row; give every row a class")
                    : keys[i] - 1L;
            }
        }

        var continuous = new float[count * a.ContinuousCodes];
        if (_continuous is { } column)
        {
            var vectors = batch.GetInput<VBuffer<float>>(column);
            for (var i = 0; i < count; i++)
            {
                var values = vectors[i].DenseValues().ToArray();
                if (values.Any(v => !float.IsFinite(v)))
                {
                    throw new InvalidDataException($"column '{column.Name}' holds a value that is not a finite number; continuous codes must be finite");
                }

                values.CopyTo(continuous.AsSpan(i * a.ContinuousCodes, a.ContinuousCodes));
            }
        }

        var dims = _network.Dimensions;
        using var pixels = new PooledArray<float>(count * dims);
        _network.GenerateBatch(classes, continuous, batch.GetInput<int>(_seed), pixels.Span);
        if (writePixels)
        {
            var outputs = batch.GetOutput<VBuffer<float>>(0);
            for (var i = 0; i < count; i++)
            {
                var editor = VBufferEditor.Create(ref outputs[i], dims);
                pixels.Span.Slice(i * dims, dims).CopyTo(editor.Values);
                outputs[i] = editor.Commit();
            }
        }

        if (writeImages)
        {
            var images = batch.GetOutput<MLImage>(1);
            for (var i = 0; i < count; i++)
            {
                images[i]?.Dispose();
                images[i] = InfoGanImageConversion.ToMLImage(pixels.Span.Slice(i * dims, dims), a.Channels, a.Height, a.Width);
            }
        }
    }

    protected override DataViewSchema.DetachedColumn[] GetOutputColumns()
    {
        var a = _network.Architecture;
        var pixels = new DataViewSchema.DetachedColumn(_outputColumnName, new VectorDataViewType(NumberDataViewType.Single, a.Channels, a.Height, a.Width));
        return HasImageColumn(a) ? [pixels, new(_imageColumnName, new ImageDataViewType(a.Height, a.Width))] : [pixels];
    }

    /// <summary>Whether the images also go out as <see cref="MLImage"/>s: gray and RGB images do, other channel counts cannot.</summary>
    private static bool HasImageColumn(Models.InfoGan.InfoGanArchitecture architecture) => architecture.Channels is 1 or 3;
}
