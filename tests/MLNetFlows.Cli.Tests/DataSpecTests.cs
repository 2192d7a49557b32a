using MLNetFlows.Cli.Data;

namespace MLNetFlows.Cli.Tests;

/// <summary>Inputs and shards are understood (or refused) from their text alone, before any work.</summary>
public sealed class DataSpecTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("fashion-mnist", "fashion-mnist", null, false)]
    [InlineData("fashion-mnist-test:3", "fashion-mnist-test", (byte)3, false)]
    [InlineData("mnist:^0", "mnist", (byte)0, true)]
    public void BuiltInSetsAndClassFiltersAreParsed(string text, string name, byte? classFilter, bool exclude)
    {
        var spec = DataSpec.Parse(text);

        Assert.Equal((DataSpecKind.BuiltIn, name, classFilter, exclude), (spec.Kind, spec.Name, spec.ClassFilter, spec.ExcludeClass));
    }

    [Fact]
    public void AnExistingFolderOrCsvWinsOverAnyOtherReading()
    {
        var folder = Directory.CreateDirectory(_directory.File("with:colon")).FullName;
        var csv = _directory.File("list.CSV");
        File.WriteAllText(csv, "path\n");

        Assert.Equal(DataSpecKind.Folder, DataSpec.Parse(folder).Kind);
        Assert.Equal(DataSpecKind.Csv, DataSpec.Parse(csv).Kind);
    }

    [Theory]
    [InlineData("1/4", 1, 4)]
    [InlineData("0/1", 0, 1)]
    [InlineData(null, 0, 1)]
    public void ShardsAreParsed(string? text, int index, int count)
    {
        Assert.Equal(new Shard(index, count), Shard.Parse(text));
    }

    [Fact]
    public void AShardHoldsEveryNthRow()
    {
        var shard = Shard.Parse("2/3");

        Assert.Equal([2L, 5, 8], Enumerable.Range(0, 10).Select(i => (long)i).Where(shard.Contains));
    }
}
