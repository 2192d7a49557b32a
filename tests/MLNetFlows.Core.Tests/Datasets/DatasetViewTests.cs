using MLNetFlows.Data;

namespace MLNetFlows.Core.Tests.Datasets;

public sealed class DatasetViewTests
{
    [Fact]
    public void LoadFashionMnist_TestSplitHasLabelAndByteVectorColumns()
    {
        IDataView data = new MLContext(1).Data.LoadFashionMnist(train: false);

        Assert.Equal("Label: UInt32, Pixels: Vector<Byte, 784>", data.Schema.ToString());
        Assert.Equal(10_000, data.GetRowCount());
        using DataViewRowCursor cursor = data.GetRowCursor(data.Schema);
        ValueGetter<uint> label = cursor.GetGetter<uint>(data.Schema["Label"]);
        ValueGetter<VBuffer<byte>> pixels = cursor.GetGetter<VBuffer<byte>>(data.Schema["Pixels"]);
        Assert.True(cursor.MoveNext());
        uint l = 0;
        VBuffer<byte> p = default;
        label(ref l);
        pixels(ref p);
        var raw = MLNetFlows.Transforms.Datasets.FashionMnist.LoadRaw(train: false);
        Assert.Equal(raw.Labels[0], l);
        Assert.True(p.GetValues().SequenceEqual(raw.Images.GetImage(0).Span));
    }
}
