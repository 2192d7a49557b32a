namespace MLNetFlows.Trainers.Tests;

public sealed class LearningRateScheduleTests
{
    [Theory]
    [InlineData(LearningRateSchedule.Constant)]
    [InlineData(LearningRateSchedule.Cosine)]
    public void WarmupRisesLinearlyToThePeak(LearningRateSchedule schedule)
    {
        Assert.Equal(0.25e-3, schedule.At(1, 100, 4, 1e-3), 15);
        Assert.Equal(0.75e-3, schedule.At(3, 100, 4, 1e-3), 15);
        Assert.Equal(1e-3, schedule.At(4, 100, 4, 1e-3), 15);
    }

    [Fact]
    public void ConstantStaysAtThePeak() =>
        Assert.All(new long[] { 5, 50, 100, 1000 }, step => Assert.Equal(1e-3, LearningRateSchedule.Constant.At(step, 100, 4, 1e-3)));

    [Fact]
    public void CosineFallsFromThePeakThroughHalfToZeroAtTheLastStep()
    {
        var rates = Enumerable.Range(4, 101).Select(step => LearningRateSchedule.Cosine.At(step, 104, 4, 1e-3)).ToArray();
        Assert.Equal(1e-3, rates[0], 15);
        Assert.Equal(0.5e-3, rates[50], 15); // step 54: half-way through the 100 steps after warm-up
        Assert.Equal(0, rates[100], 15);
        Assert.All(rates.Zip(rates.Skip(1)), pair => Assert.True(pair.Second < pair.First));
        Assert.Equal(0, LearningRateSchedule.Cosine.At(500, 104, 4, 1e-3), 15); // past the plan (resumed with fewer epochs)
    }

    [Fact]
    public void WithoutWarmupTheFirstStepRunsAtThePeak() =>
        Assert.Equal(1e-3, LearningRateSchedule.Cosine.At(1, 1_000_000, 0, 1e-3), 12);

    [Fact]
    public void StepsCountFromOne() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine.At(0, 10, 2, 1e-3));
}
