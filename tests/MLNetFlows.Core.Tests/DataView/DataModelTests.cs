using MLNetFlows.Data;

namespace MLNetFlows.Core.Tests.DataView;

public sealed class DataModelTests
{
    public sealed class Row
    {
        public float Score { get; set; }

        [ColumnName("Name")]
        public string Text { get; set; } = string.Empty;

        [VectorType(3)]
        public float[] Features { get; set; } = [];

        [KeyType(10)]
        public uint Label { get; set; }

        [NoColumn]
        public int Ignored { get; set; }
    }

    private static Row[] Rows() =>
    [
        new() { Score = 1.5f, Text = "a", Features = [1, 2, 3], Label = 1 },
        new() { Score = -2f, Text = "bc", Features = [4, 5, 6], Label = 7 },
    ];

    [Fact]
    public void LoadFromEnumerable_MapsMembersAndAttributesToColumns()
    {
        IDataView data = new MLContext(1).Data.LoadFromEnumerable(Rows());

        Assert.Equal("Score: Single, Name: String, Features: Vector<Single, 3>, Label: Key<UInt32, 0-9>", data.Schema.ToString());
        Assert.Equal(2, data.GetRowCount());
    }

    [Fact]
    public void CreateEnumerable_RoundTripsValues()
    {
        var ml = new MLContext(1);
        Row[] back = [.. ml.Data.CreateEnumerable<Row>(ml.Data.LoadFromEnumerable(Rows()), reuseRowObject: false)];

        Assert.Equal(new[] { 1.5f, -2f }, back.Select(r => r.Score));
        Assert.Equal(new[] { "a", "bc" }, back.Select(r => r.Text));
        Assert.Equal(new float[] { 4, 5, 6 }, back[1].Features);
        Assert.Equal(7u, back[1].Label);
    }

    [Fact]
    public void GetGetter_WrongTypeNamesColumnAndBothTypes()
    {
        IDataView data = new MLContext(1).Data.LoadFromEnumerable(Rows());
        using DataViewRowCursor cursor = data.GetRowCursor(data.Schema);

        var ex = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<int>(data.Schema["Features"]));

        Assert.Contains("Column 'Features' has type Vector<Single, 3>, requested Int32", ex.Message);
    }

    [Fact]
    public void GetGetter_InactiveColumnAndReadBeforeMoveNextFailClearly()
    {
        IDataView data = new MLContext(1).Data.LoadFromEnumerable(Rows());
        using DataViewRowCursor cursor = data.GetRowCursor([data.Schema["Score"]]);

        Assert.Contains("not active", Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(data.Schema["Features"])).Message);
        ValueGetter<float> score = cursor.GetGetter<float>(data.Schema["Score"]);
        float value = 0;
        Assert.Contains("not on a row", Assert.Throws<InvalidOperationException>(() => score(ref value)).Message);
        Assert.True(cursor.MoveNext());
        score(ref value);
        Assert.Equal(1.5f, value);
        Assert.Equal(0, cursor.Position);
    }

    [Fact]
    public void VectorTypeSizeIsEnforcedWithColumnName()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new Row { Features = [1, 2] } });

        var ex = Assert.Throws<InvalidOperationException>(() => ml.Data.CreateEnumerable<Row>(data, reuseRowObject: true).ToList());

        Assert.Contains("Column 'Features' expected a vector of 3 items", ex.Message);
    }

    [Fact]
    public void MLImage_IsCreatedFromPixelsAndValidatesLength()
    {
        MLImage image = MLImage.CreateFromPixels(2, 1, MLPixelFormat.Rgb24, new byte[] { 1, 2, 3, 4, 5, 6 });

        Assert.Equal((2, 1, 3, 24), (image.Width, image.Height, image.ChannelCount, image.BitsPerPixel));
        Assert.Equal(6, image.Pixels[5]);
        var ex = Assert.Throws<ArgumentException>(() => MLImage.CreateFromPixels(2, 2, MLPixelFormat.Gray8, new byte[3]));
        Assert.Contains("expected 4 pixel bytes", ex.Message);
        Assert.Contains("got 3", ex.Message);
    }

    [Fact]
    public void SchemaBuilder_LaterColumnHidesEarlierOne()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("X", NumberDataViewType.Single);
        builder.AddColumn("X", TextDataViewType.Instance);
        DataViewSchema schema = builder.ToSchema();

        Assert.True(schema[0].IsHidden);
        Assert.Equal(TextDataViewType.Instance, schema["X"].Type);
        Assert.Contains("got 'Y'", Assert.Throws<ArgumentOutOfRangeException>(() => schema["Y"]).Message);
    }
}
