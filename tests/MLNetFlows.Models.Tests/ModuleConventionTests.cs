using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Tests;

/// <summary>The blocks behave as TorchSharp modules: names, parameters, dtype/device moves, scopes, state loading.</summary>
public sealed class ModuleConventionTests
{
    private static FlowStep Step() => new(4, 4, 4, 8, CouplingKind.Affine, ConvolutionParameterization.LU, null);

    [Fact]
    public void StateNamesAreTheReferenceOnes()
    {
        using var step = Step();

        var names = step.state_dict().Keys.Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(
            [
                "actnorm.bias", "actnorm.initialized", "actnorm.logs",
                "coupling.net.conv1.weight", "coupling.net.conv2.weight",
                "coupling.net.conv3.bias", "coupling.net.conv3.logs", "coupling.net.conv3.weight",
                "coupling.net.norm1.bias", "coupling.net.norm1.initialized", "coupling.net.norm1.logs",
                "coupling.net.norm2.bias", "coupling.net.norm2.initialized", "coupling.net.norm2.logs",
                "invconv.eye", "invconv.l", "invconv.l_mask", "invconv.log_s", "invconv.p", "invconv.sign_s", "invconv.u",
            ],
            names);
        Assert.Equal(14, step.parameters().Count());
        Assert.All(step.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void GlowStateNamesFollowLevelsStepsAndPriors()
    {
        using var model = new GlowModel(new GlowArchitecture { Channels = 1, Height = 4, Width = 4, Levels = 2, StepsPerLevel = 1, HiddenChannels = 4 });

        var roots = model.state_dict().Keys.Select(k => k.Split('.')[0]).Distinct().Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["level0_prior", "level0_step0", "level1_step0", "top_prior"], roots);
        Assert.Contains(model.named_parameters(), p => p.name == "top_prior");
    }

    [Fact]
    public void ModulesBuiltInsideADisposeScopeOutliveIt()
    {
        using var leaks = new LeakCheck();
        FlowStep step;
        using (NewDisposeScope())
        {
            step = Step();
        }

        using (step)
        using (var scope = NewDisposeScope())
        {
            var (y, _) = step.Forward(randn(2, 4, 4, 4));
            Assert.True(y.isfinite().all().item<bool>());
        }
    }

    [Fact]
    public void ConvertingToFloat64ConvertsEveryFloatTensorAndTheBlockStillRuns()
    {
        using var leaks = new LeakCheck();
        using var step = Step();
        using var scope = NewDisposeScope();
        step.to(ScalarType.Float64);

        var (y, logDet) = step.Forward(randn([2, 4, 4, 4], ScalarType.Float64));

        Assert.Equal(ScalarType.Float64, y.dtype);
        Assert.Equal(ScalarType.Float64, logDet.dtype);
        Assert.All(step.state_dict().Where(p => !p.Key.EndsWith("initialized", StringComparison.Ordinal)), p => Assert.Equal(ScalarType.Float64, p.Value.dtype));
        Assert.All(step.state_dict().Where(p => p.Key.EndsWith("initialized", StringComparison.Ordinal)), p => Assert.Equal(ScalarType.Byte, p.Value.dtype));
        Assert.All(step.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void LoadingStateListsEveryProblem()
    {
        using var leaks = new LeakCheck();
        using var step = Step();
        using var scope = NewDisposeScope();
        var state = step.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        state.Remove("actnorm.bias");
        state["actnorm.logs"] = zeros(1, 3, 1, 1);
        state["extra"] = zeros(1);

        var error = Assert.Throws<ArgumentException>(() => step.load_state_dict(state));

        Assert.Equal("state does not fit FlowStep: missing 'actnorm.bias'; 'actnorm.logs' has shape [1, 3, 1, 1], expected [1, 4, 1, 1]; unexpected 'extra' (Parameter 'source')", error.Message);
    }

    [Fact]
    public void LoadingStateResetsTheActNormInitialisationFlag()
    {
        using var leaks = new LeakCheck();
        using var trained = new ActNorm(2, 3, 3);
        using var fresh = new ActNorm(2, 3, 3);
        using var scope = NewDisposeScope();
        trained.Forward(randn(8, 2, 3, 3));
        var initializedState = trained.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var freshState = fresh.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        Assert.True(trained.IsInitialized);

        trained.load_state_dict(freshState);
        Assert.Equal(0, trained.Initialized.item<byte>());
        Assert.False(trained.IsInitialized);
        fresh.load_state_dict(initializedState);
        Assert.True(fresh.IsInitialized);
    }
}
