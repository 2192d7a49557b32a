using MLNetFlows.Data;
using MLNetFlows.Transforms.Tests.Image;
using MLNetFlows.Transforms.Text;

namespace MLNetFlows.Transforms.Tests.Text;

public sealed class TextLoaderTests
{
    private static readonly MLContext Ml = new(seed: 1);

    public sealed class ImageRow
    {
        [LoadColumn(0)]
        public string ImagePath { get; set; } = string.Empty;

        [LoadColumn(1)]
        public uint Label { get; set; }

        [LoadColumn(2, 3)]
        public float[] Extra { get; set; } = [];
    }

    public sealed class Typed
    {
        [LoadColumn(0)]
        public bool Flag { get; set; }

        [LoadColumn(1)]
        [ColumnName("Value")]
        public double D { get; set; }

        [LoadColumn(2)]
        public long Big { get; set; }

        public string NotLoaded { get; set; } = string.Empty;
    }

    [Fact]
    public void CsvWithHeaderAndQuotes_FeedsLoadImages()
    {
        using var temp = new TempDirectory();
        string csv = temp.File("images.csv");
        File.WriteAllLines(csv, ["ImagePath,Label,A,B", "rgb8.png,3,1.5,-2", "\"gray8.png\",7,,1e3", string.Empty, "  missing.png  ,1,0,0"]);

        IDataView rows = Ml.Data.LoadFromTextFile<ImageRow>(csv, ',', hasHeader: true, allowQuoting: true, trimWhitespace: true);

        Assert.Equal("ImagePath: String, Label: UInt32, Extra: Vector<Single, 2>", rows.Schema.ToString());
        ImageRow[] read = [.. Ml.Data.CreateEnumerable<ImageRow>(rows, reuseRowObject: false)];
        Assert.Equal(["rgb8.png", "gray8.png", "missing.png"], read.Select(r => r.ImagePath));
        Assert.Equal([3u, 7u, 1u], read.Select(r => r.Label));
        Assert.Equal(new[] { 1.5f, -2f }, read[0].Extra);
        Assert.True(float.IsNaN(read[1].Extra[0]));
        Assert.Equal(1000f, read[1].Extra[1]);

        var loader = Ml.Transforms.LoadImages("Image", Corpus.Valid, "ImagePath").Fit(rows);
        MLImage?[] images = Images.Column<MLImage?>(loader.Transform(rows), "Image");
        Assert.Equal([true, true, false], images.Select(i => i is not null));
        Assert.Equal(1, loader.Diagnostics.FailureCount);
    }

    [Fact]
    public void QuotedFields_KeepSeparatorsAndEscapedQuotes()
    {
        using var temp = new TempDirectory();
        string csv = temp.File("q.csv");
        File.WriteAllText(csv, "\"a,b\",\"say \"\"hi\"\"\"\n");

        IDataView rows = Ml.Data.LoadFromTextFile(csv, [new TextLoader.Column("X", DataKind.String, 0), new TextLoader.Column("Y", DataKind.String, 1)], ',', allowQuoting: true);

        Assert.Equal(["a,b"], Images.Column<ReadOnlyMemory<char>>(rows, "X").Select(m => m.ToString()));
        Assert.Equal(["say \"hi\""], Images.Column<ReadOnlyMemory<char>>(rows, "Y").Select(m => m.ToString()));
    }

    [Fact]
    public void TabSeparatedTypedColumns_AreParsedInvariantly()
    {
        using var temp = new TempDirectory();
        string tsv = temp.File("t.tsv");
        File.WriteAllLines(tsv, ["true\t2.5\t9000000000", "0\t-1e-3\t-1"]);

        Typed[] read = [.. Ml.Data.CreateEnumerable<Typed>(Ml.Data.LoadFromTextFile<Typed>(tsv), reuseRowObject: false, ignoreMissingColumns: true)];

        Assert.Equal([true, false], read.Select(r => r.Flag));
        Assert.Equal([2.5, -1e-3], read.Select(r => r.D));
        Assert.Equal([9_000_000_000L, -1L], read.Select(r => r.Big));
    }

    [Theory]
    [InlineData("true\tabc\t1", "line 2, column 'Value' (field 1): cannot parse 'abc' as Double")]
    [InlineData("true\t1", "line 2: column 'Big' reads field 2, but the line has 2 field(s)")]
    [InlineData("maybe\t1\t1", "line 2, column 'Flag' (field 0): cannot parse 'maybe' as Boolean")]
    [InlineData("true\t1\t1.5", "line 2, column 'Big' (field 2): cannot parse '1.5' as Int64")]
    public void MalformedLine_FailsNamingFileLineColumnValueAndType(string badLine, string expected)
    {
        using var temp = new TempDirectory();
        string tsv = temp.File("bad.tsv");
        File.WriteAllLines(tsv, ["true\t1\t1", badLine]);

        var ex = Assert.Throws<FormatException>(() => Ml.Data.CreateEnumerable<Typed>(Ml.Data.LoadFromTextFile<Typed>(tsv), reuseRowObject: false, ignoreMissingColumns: true).ToList());

        Assert.Contains($"'{tsv}' {expected}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnclosedQuote_FailsNamingTheLine()
    {
        using var temp = new TempDirectory();
        string csv = temp.File("u.csv");
        File.WriteAllLines(csv, ["h", "\"open"]);

        IDataView rows = Ml.Data.LoadFromTextFile(csv, [new TextLoader.Column("X", DataKind.String, 0)], ',', hasHeader: true, allowQuoting: true);

        var ex = Assert.Throws<FormatException>(() => Images.Column<ReadOnlyMemory<char>>(rows, "X"));
        Assert.Contains("line 2: the quote opened at character 1 is never closed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_And_MemberOfUnsupportedType_AreRefused()
    {
        Assert.Throws<FileNotFoundException>(() => Ml.Data.LoadFromTextFile<Typed>("/nonexistent/x.tsv"));
        var ex = Assert.Throws<ArgumentException>(() => Ml.Data.CreateTextLoader<BadRow>());
        Assert.Contains("BadRow.When has type DateTime", ex.Message, StringComparison.Ordinal);
    }

    public sealed class BadRow
    {
        [LoadColumn(0)]
        public DateTime When { get; set; }
    }
}
