using MLNetFlows.Models.Flows;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Tests;

/// <summary>The leak check counts what it must: a forgotten tensor fails, disposed modules and scoped tensors do not.</summary>
public sealed class LeakCheckTests
{
    [Fact]
    public void AForgottenTensorIsReported()
    {
        Tensor forgotten;
        var leaks = new LeakCheck();
        forgotten = ones(3);

        Assert.Equal(1, leaks.Leaked);
        var error = Assert.Throws<ContractViolationException>(leaks.Dispose);
        Assert.Equal("1 native tensor(s) leaked: dispose them or create them inside a DisposeScope", error.Message);
        forgotten.Dispose();
    }

    [Fact]
    public void ScopedTensorsAndDisposedModulesWithParametersAreNotLeaks()
    {
        using var leaks = new LeakCheck();
        using (var step = new ActNorm(3, 2, 2))
        using (NewDisposeScope())
        {
            step.to(ScalarType.Float64); // replaces every parameter
            _ = step.Forward(randn([2, 3, 2, 2], ScalarType.Float64));
        }

        Assert.Equal(0, leaks.Leaked);
    }
}
