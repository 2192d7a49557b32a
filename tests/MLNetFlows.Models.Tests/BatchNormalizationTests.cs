using MLNetFlows.Models.InfoGan;
using MLNetFlows.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Tests;

/// <summary>The library's batch normalisation against TorchSharp's BatchNorm1d/2d (which it replaces; see its remarks).</summary>
public sealed class BatchNormalizationTests
{
    [Theory]
    [InlineData(new long[] { 16, 6 })]
    [InlineData(new long[] { 8, 6, 5, 3 })]
    public void MatchesTorchSharpsBatchNormInTrainingAndEvaluation(long[] shape)
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(3).Dispose();
        using var ours = new BatchNormalization(6);
        using nn.Module<Tensor, Tensor> theirs = shape.Length == 2 ? nn.BatchNorm1d(6) : nn.BatchNorm2d(6);
        using (no_grad())
        {
            ours.parameters().First().uniform_(0.5, 1.5);
            theirs.parameters().First().copy_(ours.parameters().First());
        }

        for (var pass = 0; pass < 3; pass++)
        {
            var x = randn(shape).mul(Scalars.Of(3.0));
            Assert.True(ours.call(x).allclose(theirs.call(x), rtol: 1e-6, atol: 1e-6), $"training pass {pass + 1}");
        }

        ours.eval();
        theirs.eval();
        var y = randn(shape);
        Assert.True(ours.call(y).allclose(theirs.call(y), rtol: 1e-6, atol: 1e-6), "evaluation");
        var ourState = ours.state_dict();
        var theirState = theirs.state_dict();
        Assert.Equal(theirState.Keys.Order(StringComparer.Ordinal), ourState.Keys.Order(StringComparer.Ordinal));
        Assert.All(theirState, p => Assert.True(p.Value.allclose(ourState[p.Key], rtol: 1e-6, atol: 1e-7), $"'{p.Key}' differs"));
        Assert.Equal(3, ourState["num_batches_tracked"].item<long>());
    }
}
