using TorchSharp;

namespace MLNetFlows.Trainers.Tests;

/// <summary>Polyak averaging of parameters: the update rule, swapping in and out, and saved state.</summary>
public sealed class ExponentialMovingAverageTests
{
    private static float[] Values(torch.Tensor tensor) => tensor.data<float>().ToArray();

    [Fact]
    public void UpdatesFollowTheWarmedUpDecay()
    {
        using var leaks = new LeakCheck();
        using var parameter = torch.tensor(new[] { 1f, -2f }).requires_grad_();
        using (var average = new ExponentialMovingAverage([parameter], decay: 0.5))
        {
            var expected = new double[] { 1, -2 };
            average.Update();
            Assert.Equal(1, average.Updates);
            var values = new[] { 3.0, 7.0, -1.0 };
            foreach (var value in values)
            {
                using (torch.no_grad())
                {
                    parameter.fill_(value);
                }

                // n = 1 → min(0.5, 2/11), n = 2 → min(0.5, 3/12), n = 3 → min(0.5, 4/13)
                var d = Math.Min(0.5, (1.0 + average.Updates) / (10.0 + average.Updates));
                Assert.Equal(d, average.NextDecay);
                average.Update();
                expected = expected.Select(e => (d * e) + ((1 - d) * value)).ToArray();
            }

            average.Swap();
            var actual = Values(parameter);
            Assert.Equal(expected[0], actual[0], 5);
            Assert.Equal(expected[1], actual[1], 5);
            Assert.True(parameter.requires_grad);
        }
    }

    [Fact]
    public void SwappingTwiceRestoresTheParametersExactly()
    {
        using var leaks = new LeakCheck();
        torch.manual_seed(4).Dispose();
        using var parameter = torch.randn(3, 5).requires_grad_();
        var original = Values(parameter);
        using var average = new ExponentialMovingAverage([parameter], decay: 0.9);
        average.Update();
        using (torch.no_grad())
        {
            parameter.mul_(3);
        }

        average.Update();
        var trained = Values(parameter);

        average.Swap();
        Assert.NotEqual(trained, Values(parameter));
        Assert.NotEqual(original, Values(parameter));
        average.Swap();

        Assert.Equal(trained, Values(parameter));
    }

    [Fact]
    public void SwappingKeepsTheParametersMemoryLayout()
    {
        using var leaks = new LeakCheck();
        using var scope = torch.NewDisposeScope();
        // A channels-last convolution weight [out, in, kh, kw], as the models keep them for the CPU's convolutions.
        var parameter = torch.randn(4, 3, 3, 3).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2).requires_grad_();
        var strides = parameter.stride();
        using var average = new ExponentialMovingAverage([parameter], decay: 0.9);
        average.Update();
        using (torch.no_grad())
        {
            parameter.add_(1);
        }

        average.Update();
        average.Swap();

        Assert.Equal(strides, parameter.stride());
    }

    [Fact]
    public void AppliedEvaluatesOnTheAveragesAndRestoresTheParametersEvenWhenItThrows()
    {
        using var leaks = new LeakCheck();
        using var parameter = torch.tensor(new[] { 1f, 2f }).requires_grad_();
        using var average = new ExponentialMovingAverage([parameter], decay: 0.9);
        Assert.Equal([1f, 2f], average.Applied(() => Values(parameter))); // no update yet: the parameters as they are

        average.Update();
        using (torch.no_grad())
        {
            parameter.add_(10);
        }

        average.Update(); // decay min(0.9, 2/11): a = 2/11·1 + 9/11·11
        var expected = new[] { (2f / 11 * 1) + (9f / 11 * 11), (2f / 11 * 2) + (9f / 11 * 12) };
        var seen = average.Applied(() => Values(parameter));
        Assert.Throws<InvalidOperationException>(() => average.Applied<int>(() => throw new InvalidOperationException("evaluation failed")));

        Assert.Equal(expected, seen, (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.Equal([11f, 12f], Values(parameter));
    }

    [Fact]
    public void SwapBeforeTheFirstUpdateIsRefused()
    {
        using var parameter = torch.zeros(2);
        using var average = new ExponentialMovingAverage([parameter], decay: 0.9);

        var error = Assert.Throws<InvalidOperationException>(average.Swap);

        Assert.Equal("the moving average has no updates yet; call Update after an optimizer step first", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.5)]
    public void DecayOutsideTheOpenUnitIntervalIsRefused(double decay)
    {
        using var parameter = torch.zeros(2);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage([parameter], decay));

        Assert.StartsWith("the averaging decay must be in (0, 1)", error.Message);
    }

    [Fact]
    public void ExportedStateRestoresTheAveragesAndTheUpdateCount()
    {
        using var leaks = new LeakCheck();
        using var parameter = torch.tensor(new[] { 1f, 2f, 3f });
        using var source = new ExponentialMovingAverage([parameter], decay: 0.99);
        source.Update();
        parameter.fill_(10);
        source.Update();
        using var state = source.ExportState();
        using var other = torch.zeros(3);
        using var restored = new ExponentialMovingAverage([other], decay: 0.99);

        restored.ImportState(state.Tensors, state.Metadata);

        Assert.Equal(2, restored.Updates);
        restored.Swap();
        source.Swap();
        Assert.Equal(Values(parameter), Values(other));
    }

    [Fact]
    public void StateOfAnotherDecayIsRefused()
    {
        using var parameter = torch.zeros(3);
        using var source = new ExponentialMovingAverage([parameter], decay: 0.99);
        source.Update();
        using var state = source.ExportState();
        using var restored = new ExponentialMovingAverage([parameter], decay: 0.999);

        var error = Assert.Throws<InvalidDataException>(() => restored.ImportState(state.Tensors, state.Metadata));

        Assert.Equal("the moving average was saved with decay 0.99, expected 0.999", error.Message);
    }

    [Fact]
    public void StateOfAnotherShapeIsRefused()
    {
        using var parameter = torch.zeros(3);
        using var source = new ExponentialMovingAverage([parameter], decay: 0.9);
        source.Update();
        using var state = source.ExportState();
        using var wider = torch.zeros(4);
        using var restored = new ExponentialMovingAverage([wider], decay: 0.9);

        var error = Assert.Throws<InvalidDataException>(() => restored.ImportState(state.Tensors, state.Metadata));

        Assert.Equal("the moving average 'param.0' has shape [3], expected [4]", error.Message);
    }
}
