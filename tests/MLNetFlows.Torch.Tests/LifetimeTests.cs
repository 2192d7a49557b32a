using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;
using MLNetFlows.Torch.Optim;

namespace MLNetFlows.Torch.Tests;

/// <summary>Native lifetime: dispose scopes, the live-tensor counter, module ownership.</summary>
public sealed class LifetimeTests
{
    [Fact]
    public void LiveCountFollowsCreateAndDispose()
    {
        var before = Tensor.LiveCount;
        var a = Tensor.Zeros([3]);
        var b = a.Exp();
        Assert.Equal(before + 2, Tensor.LiveCount);
        a.Dispose();
        b.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void ScopeDisposesTemporariesAndKeepsMovedTensors()
    {
        using var leaks = new LeakCheck();
        Tensor kept;
        Tensor temporary;
        using (var scope = DisposeScope.Enter())
        {
            temporary = Tensor.Ones([4]) * 2;
            kept = scope.MoveToOuter(temporary.Sum());
            Assert.True(scope.Count >= 2);
        }

        Assert.True(temporary.IsDisposed);
        Assert.False(kept.IsDisposed);
        Assert.Equal(8, kept.Item());
        kept.Dispose();
    }

    [Fact]
    public void NestedScopesHandTensorsOutward()
    {
        using var leaks = new LeakCheck();
        using var outer = DisposeScope.Enter();
        Tensor moved;
        using (var inner = DisposeScope.Enter())
        {
            moved = inner.MoveToOuter(Tensor.Ones([2]));
        }

        Assert.False(moved.IsDisposed);
        Assert.Same(outer, DisposeScope.Current);
        outer.Dispose();
        Assert.True(moved.IsDisposed);
        Assert.Null(DisposeScope.Current);
    }

    [Fact]
    public void DisposingAnOuterScopeFirstIsRefused()
    {
        var outer = DisposeScope.Enter();
        var inner = DisposeScope.Enter();

        var error = Assert.Throws<InvalidOperationException>(outer.Dispose);

        Assert.Contains("innermost first", error.Message);
        inner.Dispose();
        outer.Dispose();
    }

    [Fact]
    public void ScopedTrainingLoopOfTinyConvNetLeavesNoLiveTensors()
    {
        using var leaks = new LeakCheck();
        TorchRuntime.ManualSeed(1);
        using var x = Tensor.Randn([8, 1, 12, 12]);
        using var y = Tensor.RandInt(0, 10, [8]);
        using (var model = TinyNets.Classifier())
        using (var optimizer = new Adam(model.Parameters(), 1e-3))
        {
            for (var step = 0; step < 5; step++)
            {
                using var scope = DisposeScope.Enter();
                optimizer.ZeroGrad();
                var loss = Functional.CrossEntropy(model.Forward(x), y);
                loss.Backward();
                GradientClipping.ClipGradNorm(model.Parameters(), 5.0);
                optimizer.Step();
            }
        }
    }

    [Fact]
    public void ModuleOwnsItsTensorsAndNamesThemLikePyTorch()
    {
        using var leaks = new LeakCheck();
        using var model = TinyNets.Classifier();

        var names = model.StateDict().Keys.ToArray();

        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias", "3.running_mean", "3.running_var", "6.weight", "6.bias"],
            model.NamedParameters().Select(p => p.Key).Concat(model.NamedBuffers().Select(b => b.Key)).OrderBy(n => n[0]).ThenBy(n => Array.IndexOf(names, n)).ToArray());
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.All(model.NamedBuffers(), b => Assert.False(b.Value.RequiresGrad));
    }

    [Fact]
    public void LoadStateDictListsEveryProblem()
    {
        using var model = new Linear(3, 2);
        using var wrong = Tensor.Zeros([5]);
        var state = new Dictionary<string, Tensor> { ["weight"] = wrong, ["extra"] = wrong };

        var error = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));

        Assert.Equal("state does not fit Linear: 'weight' has shape [5], expected [2, 3]; missing 'bias'; unexpected 'extra' (Parameter 'state')", error.Message);
    }
}
