using MLNetFlows.Data;
using MLNetFlows.Testing;

namespace MLNetFlows.Core.Tests.DataView;

public sealed class DataOperationsTests
{
    private static readonly MLContext Ml = new(seed: 3);

    private static IDataView Numbers(int n) =>
        new ArrayDataViewBuilder().AddColumn("X", NumberDataViewType.Int32, [.. Enumerable.Range(0, n)]).GetDataView();

    private static int[] Xs(IDataView data) => [.. DataViewComparer.ReadAll(data).Select(r => (int)r[0]!)];

    [Fact]
    public void TrainTestSplit_PartitionsRowsDeterministically()
    {
        var split = Ml.Data.TrainTestSplit(Numbers(2000), testFraction: 0.25, seed: 7);

        int[] train = Xs(split.TrainSet);
        int[] test = Xs(split.TestSet);

        Assert.Equal(Enumerable.Range(0, 2000), train.Concat(test).Order());
        Assert.InRange(test.Length, 420, 580);
        Assert.Equal(test, Xs(Ml.Data.TrainTestSplit(Numbers(2000), testFraction: 0.25, seed: 7).TestSet));
    }

    [Fact]
    public void TrainTestSplit_SamplingKeyKeepsGroupsTogether()
    {
        IDataView data = new ArrayDataViewBuilder()
            .AddColumn("X", NumberDataViewType.Int32, [.. Enumerable.Range(0, 400)])
            .AddColumn("Group", NumberDataViewType.Int32, [.. Enumerable.Range(0, 400).Select(i => i % 20)])
            .GetDataView();

        var split = Ml.Data.TrainTestSplit(data, 0.3, "Group", seed: 1);
        var testGroups = DataViewComparer.ReadAll(split.TestSet).Select(r => (int)r[1]!).ToHashSet();
        var trainGroups = DataViewComparer.ReadAll(split.TrainSet).Select(r => (int)r[1]!).ToHashSet();

        Assert.Empty(testGroups.Intersect(trainGroups));
        Assert.Equal(20, testGroups.Count + trainGroups.Count);
    }

    [Fact]
    public void FilterTakeSkip_SelectTheExpectedRows()
    {
        Assert.Equal([3, 4, 5], Xs(Ml.Data.FilterRowsByColumn(Numbers(10), "X", 3, 6)));
        Assert.Equal([0, 1], Xs(Ml.Data.TakeRows(Numbers(10), 2)));
        Assert.Equal([8, 9], Xs(Ml.Data.SkipRows(Numbers(10), 8)));
        Assert.Equal(2, Ml.Data.SkipRows(Numbers(10), 8).GetRowCount());
        var ex = Assert.Throws<SchemaMismatchException>(() => Ml.Data.FilterRowsByColumn(Numbers(3), "Y"));
        Assert.Contains("'Y' not found", ex.Message);
    }

    [Fact]
    public void ShuffleRows_IsAPermutationRepeatableAcrossPasses()
    {
        IDataView shuffled = Ml.Data.ShuffleRows(Numbers(50), seed: 9);

        int[] first = Xs(shuffled);

        Assert.NotEqual(Enumerable.Range(0, 50), first);
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.Equal(first, Xs(shuffled));
    }

    [Fact]
    public void Cache_MaterialisesOnceUnderConcurrentCursors()
    {
        IDataView cached = Ml.Data.Cache(Ml.Data.LoadFromEnumerable(Enumerable.Range(0, 100).Select(i => new Box { V = i })));

        int[][] results = new int[4][];
        Parallel.For(0, 4, i => results[i] = Xs(cached));

        Assert.All(results, r => Assert.Equal(Enumerable.Range(0, 100), r));
        Assert.True(cached.CanShuffle);
        Assert.Equal(100, cached.GetRowCount());
    }

    public sealed class Box
    {
        public int V { get; set; }
    }
}
