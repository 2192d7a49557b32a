using MLNetFlows.Torch;

namespace MLNetFlows.Torch.Tests;

public sealed class AutogradTests
{
    [Fact]
    public void GradientOfAPolynomialIsExact()
    {
        using var leaks = new LeakCheck();
        using var x = Tensor.FromArray(new float[] { 1, 2, 3 }).RequiresGrad_();
        using (DisposeScope.Enter())
        {
            var y = (x * x * x).Sum(); // dy/dx = 3x²
            y.Backward();
        }

        using var grad = x.Grad!;
        Assert.Equal(new float[] { 3, 12, 27 }, grad.ToArray<float>());
    }

    [Fact]
    public void GradientsAccumulateUntilZeroed()
    {
        using var x = Tensor.Ones([2]).RequiresGrad_();
        for (var i = 0; i < 2; i++)
        {
            using var scope = DisposeScope.Enter();
            (x * 5).Sum().Backward();
        }

        using (var grad = x.Grad!)
        {
            Assert.Equal(new float[] { 10, 10 }, grad.ToArray<float>());
            grad.Zero_();
        }

        using var zeroed = x.Grad!;
        Assert.Equal(new float[] { 0, 0 }, zeroed.ToArray<float>());
    }

    [Fact]
    public void NoGradScopeStopsRecordingAndRestoresTheMode()
    {
        using var x = Tensor.Ones([2]).RequiresGrad_();
        Assert.True(Autograd.IsGradEnabled);
        using (Autograd.NoGrad())
        {
            Assert.False(Autograd.IsGradEnabled);
            using var y = x * 2;
            Assert.False(y.RequiresGrad);
            using (Autograd.EnableGrad())
            {
                using var z = x * 2;
                Assert.True(z.RequiresGrad);
            }

            Assert.False(Autograd.IsGradEnabled);
        }

        Assert.True(Autograd.IsGradEnabled);
    }

    [Fact]
    public void InferenceModeProducesTensorsWithoutGrad()
    {
        using var x = Tensor.Ones([2]).RequiresGrad_();
        using (Autograd.InferenceMode())
        {
            using var y = x * 3;
            Assert.False(y.RequiresGrad);
            Assert.Equal(new float[] { 3, 3 }, y.ToArray<float>());
        }

        using var z = x * 3;
        Assert.True(z.RequiresGrad);
    }

    [Fact]
    public void DetachCutsTheGraphButSharesStorage()
    {
        using var x = Tensor.Ones([2]).RequiresGrad_();
        using var y = x * 2;
        using var d = y.Detach();

        Assert.False(d.RequiresGrad);
        Assert.True(y.RequiresGrad);
        Assert.Equal(new float[] { 2, 2 }, d.ToArray<float>());
    }

    [Fact]
    public void BackwardOnNonScalarWithoutGradientIsAClearError()
    {
        using var x = Tensor.Ones([2]).RequiresGrad_();
        using var y = x * 2;

        var error = Assert.Throws<TorchException>(() => y.Backward());

        Assert.Contains("grad can be implicitly created only for scalar outputs", error.Message);
    }
}
