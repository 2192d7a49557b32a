using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Persistence;

namespace MLNetFlows.Estimators.Tests.Infrastructure;

/// <summary>
/// A torch-free toy on the batching and persistence infrastructure: multiplies a Vector&lt;Single, n&gt; column by
/// per-slot weights (saved as little-endian Single values in the entry "weights.f32") into "Scaled", and adds their sum
/// as "Sum" (annotated like a score). Counts its model calls (one per batch).
/// </summary>
internal sealed class ScaleTransformer : BatchedTransformer
{
    public const string Scaled = "Scaled";
    public const string Sum = "Sum";
    public const string WeightsEntry = "weights.f32";
    public static readonly PersistedModelKind Kind = new("MLNFSCAL", "MLNetFlowsTestScale", typeof(ScaleTransformer));
    private int _modelCalls;

    public ScaleTransformer(string inputColumnName, float[] weights, int batchSize)
    {
        InputColumnName = inputColumnName;
        Weights = weights;
        BatchSize = batchSize;
    }

    public string InputColumnName { get; }

    public float[] Weights { get; }

    public int BatchSize { get; }

    public int ModelCalls => Volatile.Read(ref _modelCalls);

    private protected override PersistedModelKind ModelKind => Kind;

    public static string Expected(int size) => $"Vector<Single, {size}>";

    public static void Register(ComponentCatalog catalog) => ModelLoaders.Register(catalog, Kind, Load);

    public static DataViewSchema.DetachedColumn[] OutputColumns(int size)
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add<ReadOnlyMemory<char>>("ScoreColumnKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = "Toy".AsMemory());
        return
        [
            new(Scaled, new VectorDataViewType(NumberDataViewType.Single, size)),
            new(Sum, NumberDataViewType.Single, annotations.ToAnnotations()),
        ];
    }

    private protected override BatchMapper MakeMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private protected override void SaveModel(ModelWriter writer)
    {
        writer.Set("inputColumnName", InputColumnName);
        writer.Set("batchSize", BatchSize);
        writer.AddEntry(WeightsEntry, MemoryMarshal.AsBytes(Weights.AsSpan()).ToArray());
    }

    private static ScaleTransformer Load(ModelReader reader, IHostEnvironment env)
    {
        var bytes = reader.ReadEntry(WeightsEntry);
        return bytes.Length > 0 && bytes.Length % sizeof(float) == 0
            ? new ScaleTransformer(reader.GetString("inputColumnName"), MemoryMarshal.Cast<byte, float>(bytes).ToArray(), reader.GetInt32("batchSize", 1))
            : throw reader.Error($"'{WeightsEntry}' holds {bytes.Length} bytes, not a whole number of Single weights");
    }

    private sealed class Mapper : BatchMapper
    {
        private readonly ScaleTransformer _parent;
        private readonly DataViewSchema.Column _input;

        public Mapper(ScaleTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema, parent.BatchSize)
        {
            _parent = parent;
            var size = parent.Weights.Length;
            _input = InputColumns.Require(inputSchema, parent.InputColumnName, t => t is VectorDataViewType { ItemType: var item, Size: var n } && item == NumberDataViewType.Single && n == size, Expected(size));
        }

        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_input];

        public override void MapBatch(RowBatch batch)
        {
            Interlocked.Increment(ref _parent._modelCalls);
            var weights = _parent.Weights;
            var inputs = batch.GetInput<VBuffer<float>>(_input);
            var scaled = batch.IsOutputActive(0) ? batch.GetOutput<VBuffer<float>>(0) : [];
            var sums = batch.IsOutputActive(1) ? batch.GetOutput<float>(1) : [];
            for (var i = 0; i < batch.Count; i++)
            {
                var x = inputs[i].DenseValues().ToArray();
                var y = new float[x.Length];
                for (var j = 0; j < x.Length; j++)
                {
                    y[j] = x[j] * weights[j];
                }

                if (!scaled.IsEmpty)
                {
                    var editor = VBufferEditor.Create(ref scaled[i], y.Length);
                    y.CopyTo(editor.Values);
                    scaled[i] = editor.Commit();
                }

                if (!sums.IsEmpty)
                {
                    sums[i] = y.Sum();
                }
            }
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns() => OutputColumns(_parent.Weights.Length);
    }
}

/// <summary>Fits a <see cref="ScaleTransformer"/> with fixed weights (no training), checking its input column.</summary>
internal sealed class ScaleEstimator(string inputColumnName, float[] weights, int batchSize) : IEstimator<ScaleTransformer>
{
    public ScaleTransformer Fit(IDataView input)
    {
        var transformer = new ScaleTransformer(inputColumnName, weights, batchSize);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumns.Require(inputSchema, inputColumnName, c => c.Kind == SchemaShape.Column.VectorKind.Vector && c.ItemType == NumberDataViewType.Single && !c.IsKey, ScaleTransformer.Expected(weights.Length));
        return SchemaShapes.Append(inputSchema, ScaleTransformer.OutputColumns(weights.Length));
    }
}
