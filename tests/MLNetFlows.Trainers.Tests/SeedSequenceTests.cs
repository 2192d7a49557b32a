namespace MLNetFlows.Trainers.Tests;

public sealed class SeedSequenceTests
{
    [Fact]
    public void DerivedSeedsAreThoseOfTheOldBindingSoOldSeedsKeepTheirMeaning()
    {
        // SplitMix64 of seed·φ + (stream << 48) + index, computed by hand for seed 1, stream 2, index 3.
        var z = unchecked(0x9E3779B97F4A7C15UL + (2UL << 48) + 3UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        Assert.Equal(z ^ (z >> 31), SeedSequence.Derive(1, SeedSequence.StepStream, 3));
    }

    [Fact]
    public void StreamsAndIndicesGiveDistinctSeeds()
    {
        var seeds = new[] { SeedSequence.ShuffleStream, SeedSequence.StepStream, SeedSequence.ValidationStream, SeedSequence.InitializationStream }
            .SelectMany(stream => Enumerable.Range(0, 100).Select(i => SeedSequence.Derive(7, stream, i)))
            .ToList();
        Assert.Equal(seeds.Count, seeds.Distinct().Count());
        Assert.NotEqual(SeedSequence.Derive(7, SeedSequence.StepStream, 1), SeedSequence.Derive(8, SeedSequence.StepStream, 1));
    }

    [Fact]
    public void PermutationsAreReproducibleAndHoldEveryRowOnce()
    {
        var first = SeedSequence.Permutation(5, SeedSequence.ShuffleStream, 0, 1000);
        var again = SeedSequence.Permutation(5, SeedSequence.ShuffleStream, 0, 1000);
        var nextEpoch = SeedSequence.Permutation(5, SeedSequence.ShuffleStream, 1, 1000);

        Assert.Equal(first, again);
        Assert.Equal(Enumerable.Range(0, 1000), first.Order());
        Assert.NotEqual(first, nextEpoch);
        Assert.True(first.Where((row, i) => row == i).Count() < 20, "the permutation leaves too many rows in place");
    }

    [Fact]
    public void PermutationsAreUniformEnoughThatEveryRowReachesEveryPlace()
    {
        // Over 4000 shuffles of 4 rows, each of the 16 (row, place) pairs should occur about 1000 times.
        var counts = new int[4, 4];
        for (var epoch = 0; epoch < 4000; epoch++)
        {
            var order = SeedSequence.Permutation(11, SeedSequence.ShuffleStream, epoch, 4);
            for (var place = 0; place < 4; place++)
            {
                counts[order[place], place]++;
            }
        }

        Assert.All(counts.Cast<int>(), c => Assert.InRange(c, 880, 1120));
    }

    [Fact]
    public void EmptyAndSingleRowPermutationsAreTrivial()
    {
        Assert.Empty(SeedSequence.Permutation(1, SeedSequence.ShuffleStream, 0, 0));
        Assert.Equal([0], SeedSequence.Permutation(1, SeedSequence.ShuffleStream, 0, 1));
    }
}
