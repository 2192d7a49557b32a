using TorchSharp;
using TorchSharp.Modules;

namespace MLNetFlows.Trainers.Tests;

/// <summary>The optimizer state as it goes into checkpoints: exact continuation, and refusal of state that does not fit.</summary>
public sealed class OptimizerStateTests
{
    private static Parameter[] Parameters(int seed)
    {
        torch.manual_seed(seed).Dispose();
        return [new Parameter(torch.randn(4, 3)), new Parameter(torch.randn(5))];
    }

    private static void Steps(AdamOptimizer optimizer, Parameter[] parameters, int first, int count)
    {
        for (var step = first; step < first + count; step++)
        {
            using var scope = torch.NewDisposeScope();
            torch.manual_seed(100 + step).Dispose();
            optimizer.LearningRate = 1e-3 * step;
            optimizer.ZeroGrad();
            parameters.Select(p => (p * torch.randn_like(p)).sum()).Aggregate((x, y) => x + y).backward();
            optimizer.Step();
        }
    }

    private static float[] Values(Parameter[] parameters) => parameters.SelectMany(p => p.data<float>().ToArray()).ToArray();

    [Theory]
    [InlineData(OptimizerKind.Adamax)]
    [InlineData(OptimizerKind.Adam)]
    public void ImportedStateContinuesExactlyLikeTheOriginal(OptimizerKind kind)
    {
        using var leaks = new LeakCheck();
        using var scope = torch.NewDisposeScope();
        var original = Parameters(1);
        using var optimizer = new AdamOptimizer(kind, original, 1e-3);
        Steps(optimizer, original, 1, 3);
        using var state = optimizer.ExportState();
        var copy = Parameters(2);
        using (torch.no_grad())
        {
            for (var i = 0; i < copy.Length; i++)
            {
                copy[i].copy_(original[i]);
            }
        }

        using var resumed = new AdamOptimizer(kind, copy, 1e-3);
        resumed.ImportState(state.Tensors, state.Metadata);
        Steps(optimizer, original, 4, 3);
        Steps(resumed, copy, 4, 3);

        Assert.Equal(Values(original), Values(copy));
        Assert.Equal(optimizer.LearningRate, resumed.LearningRate);
    }

    [Fact]
    public void ExportedStateNamesEveryParametersMomentsAndStep()
    {
        using var leaks = new LeakCheck();
        using var scope = torch.NewDisposeScope();
        var parameters = Parameters(3);
        using var optimizer = new AdamOptimizer(OptimizerKind.Adamax, parameters, 1e-3);
        Steps(optimizer, parameters, 1, 2);

        using var state = optimizer.ExportState();

        Assert.Equal(["param.0.exp_avg", "param.0.exp_inf", "param.1.exp_avg", "param.1.exp_inf"], state.Tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("adamax", state.Metadata["optimizer"]);
        Assert.Equal("2", state.Metadata["param.0.step"]);
        Assert.Equal("0.002", state.Metadata["lr"]);
    }

    [Fact]
    public void StateOfAnotherOptimizerIsRefused()
    {
        using var leaks = new LeakCheck();
        using var scope = torch.NewDisposeScope();
        var parameters = Parameters(4);
        using var adam = new AdamOptimizer(OptimizerKind.Adam, parameters, 1e-3);
        using var state = adam.ExportState();
        using var adamax = new AdamOptimizer(OptimizerKind.Adamax, parameters, 1e-3);

        var error = Assert.Throws<InvalidDataException>(() => adamax.ImportState(state.Tensors, state.Metadata));

        Assert.Equal("the state is of optimizer 'adam', expected 'adamax'", error.Message);
    }

    [Fact]
    public void StateOfAnotherShapeIsRefusedBeforeAnythingChanges()
    {
        using var leaks = new LeakCheck();
        using var scope = torch.NewDisposeScope();
        var parameters = Parameters(5);
        using var source = new AdamOptimizer(OptimizerKind.Adamax, parameters, 1e-3);
        Steps(source, parameters, 1, 1);
        using var state = source.ExportState();
        Parameter[] wider = [new Parameter(torch.zeros(4, 3)), new Parameter(torch.zeros(6))];
        using var target = new AdamOptimizer(OptimizerKind.Adamax, wider, 1e-3);

        var error = Assert.Throws<InvalidDataException>(() => target.ImportState(state.Tensors, state.Metadata));

        Assert.Equal("optimizer state 'param.1.exp_avg' has shape [5], expected [6]", error.Message);
        using var untouched = target.ExportState();
        Assert.Equal("0", untouched.Metadata["param.0.step"]);
        Assert.Equal(0, untouched.Tensors["param.0.exp_avg"].abs().sum().item<float>());
    }

    [Fact]
    public void AnOptimizerNeedsParameters()
    {
        var error = Assert.Throws<ArgumentException>(() => new AdamOptimizer(OptimizerKind.Adam, [], 1e-3));

        Assert.StartsWith("expected at least one parameter to optimize, got none", error.Message);
    }
}
