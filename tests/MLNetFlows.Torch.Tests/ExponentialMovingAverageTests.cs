using MLNetFlows.Torch.Optim;

namespace MLNetFlows.Torch.Tests;

/// <summary>Polyak averaging of parameters: the update rule, swapping in and out, and saved state.</summary>
public sealed class ExponentialMovingAverageTests
{
    [Fact]
    public void UpdatesFollowTheWarmedUpDecay()
    {
        using var leaks = new LeakCheck();
        using var parameter = Tensor.FromArray([1f, -2f]).RequiresGrad_();
        using (var average = new ExponentialMovingAverage([parameter], decay: 0.5))
        {
            var expected = new double[] { 1, -2 };
            average.Update();
            Assert.Equal(1, average.Updates);
            var values = new[] { 3.0, 7.0, -1.0 };
            foreach (var value in values)
            {
                using (Autograd.NoGrad())
                {
                    parameter.Fill_(value);
                }

                // n = 1 → min(0.5, 2/11), n = 2 → min(0.5, 3/12), n = 3 → min(0.5, 4/13)
                var d = Math.Min(0.5, (1.0 + average.Updates) / (10.0 + average.Updates));
                Assert.Equal(d, average.NextDecay);
                average.Update();
                expected = expected.Select(e => (d * e) + ((1 - d) * value)).ToArray();
            }

            average.Swap();
            var actual = parameter.ToArray<float>();
            Assert.Equal(expected[0], actual[0], 5);
            Assert.Equal(expected[1], actual[1], 5);
            Assert.True(parameter.RequiresGrad);
        }
    }

    [Fact]
    public void SwappingTwiceRestoresTheParametersExactly()
    {
        using var leaks = new LeakCheck();
        TorchRuntime.ManualSeed(4);
        using var parameter = Tensor.Randn([3, 5]).RequiresGrad_();
        var original = parameter.ToArray<float>();
        using var average = new ExponentialMovingAverage([parameter], decay: 0.9);
        average.Update();
        using (Autograd.NoGrad())
        {
            parameter.Mul_(3);
        }

        average.Update();
        var trained = parameter.ToArray<float>();

        average.Swap();
        Assert.NotEqual(trained, parameter.ToArray<float>());
        Assert.NotEqual(original, parameter.ToArray<float>());
        average.Swap();

        Assert.Equal(trained, parameter.ToArray<float>());
    }

    [Fact]
    public void SwapBeforeTheFirstUpdateIsRefused()
    {
        using var parameter = Tensor.Zeros([2]);
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
        using var parameter = Tensor.Zeros([2]);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage([parameter], decay));

        Assert.StartsWith("the averaging decay must be in (0, 1)", error.Message);
    }

    [Fact]
    public void ExportedStateRestoresTheAveragesAndTheUpdateCount()
    {
        using var leaks = new LeakCheck();
        using var parameter = Tensor.FromArray([1f, 2f, 3f]);
        using var source = new ExponentialMovingAverage([parameter], decay: 0.99);
        source.Update();
        parameter.Fill_(10);
        source.Update();
        using var state = source.ExportState();
        using var other = Tensor.Zeros([3]);
        using var restored = new ExponentialMovingAverage([other], decay: 0.99);

        restored.ImportState(state.Tensors, state.Metadata);

        Assert.Equal(2, restored.Updates);
        restored.Swap();
        source.Swap();
        Assert.Equal(parameter.ToArray<float>(), other.ToArray<float>());
    }

    [Fact]
    public void StateOfAnotherDecayIsRefused()
    {
        using var parameter = Tensor.Zeros([3]);
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
        using var parameter = Tensor.Zeros([3]);
        using var source = new ExponentialMovingAverage([parameter], decay: 0.9);
        source.Update();
        using var state = source.ExportState();
        using var wider = Tensor.Zeros([4]);
        using var restored = new ExponentialMovingAverage([wider], decay: 0.9);

        var error = Assert.Throws<InvalidDataException>(() => restored.ImportState(state.Tensors, state.Metadata));

        Assert.Equal("the moving average 'param.0' has shape [3], expected [4]", error.Message);
    }
}
