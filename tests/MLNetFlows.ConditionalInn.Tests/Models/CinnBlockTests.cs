using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Tests;
using static TorchSharp.torch;

namespace MLNetFlows.ConditionalInn.Tests.Models;

/// <summary>The new blocks of the conditional INN against the shared invertible-block harness.</summary>
public sealed class CinnBlockTests
{
    [Fact]
    public void HaarDownsamplingPassesTheHarness()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var block = new HaarDownsampling(2, 4, 4);
        BlockHarness.Check(block, randn(3, 2, 4, 4, ScalarType.Float64), null);
    }

    [Fact]
    public void HaarDownsamplingGivesOrthonormalHaarCoefficientsAveragesFirst()
    {
        using var scope = NewDisposeScope();
        using var block = new HaarDownsampling(1, 2, 2);
        var x = tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 2, 2]);
        var y = block.Forward(x).Output.flatten().data<float>().ToArray();
        Assert.Equal(new float[] { 5, -1, -2, 0 }, y); // (1+2+3+4)/2, (1−2+3−4)/2, (1+2−3−4)/2, (1−2−3+4)/2
    }

    [Fact]
    public void FixedOrthogonalMixingPassesTheHarnessAndIsOrthogonal()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var block = new FixedOrthogonalMixing(4, 3, 3);
        var q = block.Weight.to(ScalarType.Float64);
        BlockHarness.AssertClose(eye(4, dtype: ScalarType.Float64), q.matmul(q.t()), 1e-6, "Q·Qᵀ = I");
        Assert.Empty(block.parameters()); // fixed: nothing to train
        BlockHarness.Check(block, randn(2, 4, 3, 3, ScalarType.Float64), null);
    }

    [Theory]
    [InlineData(4, 0)]
    [InlineData(4, 3)]
    [InlineData(5, 2)]
    public void ConditionalGlowCouplingPassesTheHarness(int channels, int conditionChannels)
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var block = new ConditionalGlowCoupling(channels, 3, 3, hiddenChannels: 8, conditionChannels: conditionChannels);
        var condition = conditionChannels > 0 ? randn(2, conditionChannels, 3, 3, ScalarType.Float64) : null;
        BlockHarness.Check(block, randn(2, channels, 3, 3, ScalarType.Float64), condition);
    }

    [Fact]
    public void ChangingTheConditionChangesTheCouplingsOutput()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var block = new ConditionalGlowCoupling(4, 3, 3, hiddenChannels: 8, conditionChannels: 2);
        var x = randn(2, 4, 3, 3, ScalarType.Float64);
        BlockHarness.Randomize(block, x, zeros(2, 2, 3, 3, ScalarType.Float64));
        var (a, logDetA) = block.Forward(x, zeros(2, 2, 3, 3, ScalarType.Float64));
        var (b, logDetB) = block.Forward(x, ones(2, 2, 3, 3, ScalarType.Float64));
        Assert.True((a - b).abs().max().item<double>() > 1e-3, "the output must depend on the condition");
        Assert.True((logDetA - logDetB).abs().max().item<double>() > 1e-3, "the log-det must depend on the condition");
    }

    [Fact]
    public void ConditionalGlowCouplingStartsNearTheIdentity()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var block = new ConditionalGlowCoupling(4, 6, 6, hiddenChannels: 32, conditionChannels: 2);
        var x = randn(4, 4, 6, 6);
        var (y, logDet) = block.Forward(x, randn(4, 2, 6, 6));
        Assert.True((y - x).abs().max().item<float>() < 0.2, "a fresh coupling must be close to the identity");
        Assert.True(logDet.abs().max().item<float>() < 0.1 * 4 * 36, "a fresh coupling's log-scales must be near zero");
    }

    [Fact]
    public void SoftClampBoundsEveryLogScale()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var block = new ConditionalGlowCoupling(2, 2, 2, hiddenChannels: 4, softClamp: 0.5);
        using (no_grad())
        {
            foreach (var p in block.parameters())
            {
                p.mul_(0).add_(50); // huge raw scales
            }
        }

        var (_, logDet) = block.Forward(ones(1, 2, 2, 2) * 3);
        var bound = 0.5 * 2 * 2 * 2; // α × transformed elements of both halves
        Assert.True(logDet.abs().item<float>() <= bound * (1 + 1e-6), $"|log-det| {logDet.item<float>()} must stay within α·dims = {bound}");
        Assert.True(logDet.abs().item<float>() > 0.9 * bound, "with huge raw scales the clamp must saturate near α");
    }
}
