using MLNetFlows.Data;
using MLNetFlows.Persistence;
using MLNetFlows.Testing;

namespace MLNetFlows.Core.Tests.Pipeline;

public sealed class BatchedColumnMapperTests
{
    /// Sums each row's pixels, one MapBatch call per batch, counting the calls.
    internal sealed class PixelSumTransformer(int batchSize) : RowToRowTransformerBase
    {
        public const string Kind = "Tests.PixelSum";
        private int _batches;

        static PixelSumTransformer() => ModelLoaderRegistry.Register(Kind, ctx => new PixelSumTransformer(ctx.GetInt32("batchSize")));

        public int Batches => _batches;

        public override void Save(ModelSaveContext ctx)
        {
            ctx.SetVersionInfo(Kind, 1);
            ctx.Parameters["batchSize"] = batchSize;
            ctx.WriteEntry("note.bin", [42]);
        }

        protected override ColumnMapperBase MakeMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

        private sealed class Mapper : BatchedColumnMapper
        {
            private readonly PixelSumTransformer _parent;
            private readonly DataViewSchema.Column _pixels;

            public Mapper(PixelSumTransformer parent, DataViewSchema inputSchema)
                : base(inputSchema, parent.BatchSizeValue)
            {
                _parent = parent;
                _pixels = InputColumns.Require(inputSchema, "Pixels", t => t is VectorDataViewType { ItemType: NumberDataViewType n } && n == NumberDataViewType.Byte, "Vector<Byte>");
            }

            protected override DataViewSchema.DetachedColumn[] GetOutputColumns() => [new("Sum", NumberDataViewType.Single)];

            protected override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_pixels];

            protected internal override void MapBatch(RowBatch batch)
            {
                Interlocked.Increment(ref _parent._batches);
                ReadOnlySpan<VBuffer<byte>> pixels = batch.GetInput<VBuffer<byte>>(_pixels);
                Span<float> sums = batch.GetOutput<float>(0);
                for (int i = 0; i < batch.Count; i++)
                {
                    int s = 0;
                    foreach (byte b in pixels[i].GetValues())
                    {
                        s += b;
                    }

                    sums[i] = s;
                }
            }
        }

        private int BatchSizeValue => batchSize;
    }

    internal sealed class PixelSumEstimator(int batchSize) : TrivialEstimator<PixelSumTransformer>(new PixelSumTransformer(batchSize))
    {
        public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            InputColumns.Require(inputSchema, "Pixels", c => c.Kind == SchemaShape.Column.VectorKind.Vector && c.ItemType == NumberDataViewType.Byte, "Vector<Byte>");
            return new SchemaShape([.. inputSchema, new SchemaShape.Column("Sum", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false)]);
        }
    }

    private static IDataView Images(int rows)
    {
        var pixels = new byte[rows * 4];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)i;
        }

        return new ArrayDataViewBuilder()
            .AddColumn("Id", NumberDataViewType.Int32, [.. Enumerable.Range(0, rows)])
            .AddVectorColumn("Pixels", new VectorDataViewType(NumberDataViewType.Byte, 2, 2), (ReadOnlyMemory<byte>)pixels)
            .GetDataView();
    }

    [Fact]
    public void RunsOneMapBatchPerBatchAndServesRowsInOrder()
    {
        var transformer = new PixelSumTransformer(batchSize: 4);
        IDataView output = transformer.Transform(Images(10));

        List<object?[]> rows = DataViewComparer.ReadAll(output);

        Assert.Equal(3, transformer.Batches);
        Assert.Equal(Enumerable.Range(0, 10).Select(r => (float)((16 * r) + 6)), rows.Select(r => (float)r[2]!));
        Assert.Equal(Enumerable.Range(0, 10), rows.Select(r => (int)r[0]!));
    }

    [Fact]
    public void ShuffledPassKeepsPassThroughColumnsAlignedWithOutputs()
    {
        IDataView output = new PixelSumTransformer(batchSize: 3).Transform(Images(20));

        List<object?[]> rows = DataViewComparer.ReadAll(output, new Random(5));

        Assert.All(rows, r => Assert.Equal((16 * (int)r[0]!) + 6, (float)r[2]!));
        Assert.NotEqual(Enumerable.Range(0, 20), rows.Select(r => (int)r[0]!));
    }

    [Fact]
    public void PassesContract()
    {
        var ml = new MLContext(1);
        BadInput wrongType = new(new ArrayDataViewBuilder().AddColumn("Pixels", NumberDataViewType.Single, [1f]).GetDataView(), "Pixels", "Vector<Byte>", "Single");

        EstimatorContract.Check(ml, new PixelSumEstimator(batchSize: 4), Images(9), wrongType);
    }
}
