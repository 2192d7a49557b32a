using MLNetFlows.Models.Flows;
using static TorchSharp.torch;

namespace MLNetFlows.ConditionalInn.Tests.Models;

/// <summary>
/// A class condition's first-convolution response computed once per class and gathered per sample
/// (<see cref="ConditionalGlowCoupling.ForwardForClasses"/>) gives what the per-sample path gives: outputs, log-dets and
/// the gradients of the input, the condition maps and every weight.
/// </summary>
public sealed class FoldedClassConditionTests
{
    [Theory]
    [InlineData(4, 14, 10)]
    [InlineData(8, 7, 10)]
    [InlineData(3, 6, 4)]
    public void GatheredClassResponsesEqualTheConcatenatedCondition(long channels, long side, long conditionChannels)
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var coupling = new ConditionalGlowCoupling(channels, side, side, hiddenChannels: 16, conditionChannels);
        using (no_grad())
        {
            foreach (var p in coupling.parameters())
            {
                p.add_(randn_like(p), 0.1); // away from the near-identity start, so the condition matters
            }
        }

        var labels = tensor(new long[] { 2, 0, 2, 1, 3, 0 });
        var x = randn(6, channels, side, side).requires_grad_();
        var maps = randn(4, conditionChannels, side, side).requires_grad_();
        var xCopy = x.detach().clone().requires_grad_();
        var mapsCopy = maps.detach().clone().requires_grad_();

        var (folded, foldedLogDet) = coupling.ForwardForClasses(x, maps, labels);
        folded.sum().add(foldedLogDet.sum(), 1).backward();
        var foldedGrads = coupling.parameters().Select(p => p.grad!.clone()).ToArray();
        coupling.zero_grad();
        var (plain, plainLogDet) = coupling.Forward(xCopy, mapsCopy.index_select(0, labels));
        plain.sum().add(plainLogDet.sum(), 1).backward();

        AssertClose(plain, folded, "output");
        AssertClose(plainLogDet, foldedLogDet, "log-det");
        AssertClose(xCopy.grad!, x.grad!, "input gradient");
        AssertClose(mapsCopy.grad!, maps.grad!, "condition gradient");
        foreach (var (p, g) in coupling.parameters().Zip(foldedGrads))
        {
            AssertClose(p.grad!, g, "weight gradient");
        }

        Assert.True(maps.grad!.abs().sum().item<float>() > 0, "the condition must receive a gradient");
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var error = (expected - actual).abs().max().item<float>();
        var size = expected.abs().max().item<float>();
        Assert.True(error <= (1e-4f * size) + 1e-5f, $"{what}: max difference {error:G3} vs magnitude {size:G3}");
    }
}
