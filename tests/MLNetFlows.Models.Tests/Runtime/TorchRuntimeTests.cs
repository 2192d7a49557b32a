using MLNetFlows.Models.Runtime;
using TorchSharp;

namespace MLNetFlows.Models.Tests.Runtime;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void TorchSharp_runs_after_initialisation()
    {
        TorchRuntime.EnsureInitialized();
        TorchRuntime.EnsureInitialized();
        using var scope = torch.NewDisposeScope();
        var conv = torch.nn.Conv2d(3, 4, 3, padding: 1);
        var y = conv.forward(torch.ones(2, 3, 8, 8));
        Assert.Equal([2L, 4, 8, 8], y.shape);
        Assert.True(torch.isfinite(y).all().item<bool>());
    }

    [Fact]
    public void The_repair_is_used_exactly_when_the_system_libstdcxx_lacks_the_symbol()
    {
        TorchRuntime.EnsureInitialized();
        var repaired = Posix.DlOpen(LibstdcxxCompatibility.CompatLibraryName, Posix.RtldNow | Posix.RtldNoLoad) != IntPtr.Zero;
        Assert.Equal(!LibstdcxxCompatibility.SystemLibstdcxxHasSymbol(), repaired);
    }

    [Fact]
    public void Flushing_denormals_turns_denormal_products_into_zero()
    {
        using var scope = torch.NewDisposeScope();
        var tiny = torch.tensor(new[] { 1e-39f });
        try
        {
            Assert.True(TorchRuntime.SetFlushDenormal(true));
            Assert.Equal(0f, (tiny * 0.5f).item<float>());
            Assert.True(TorchRuntime.SetFlushDenormal(false));
            Assert.Equal(5e-40f, (tiny * 0.5f).item<float>(), 1e-45f);
        }
        finally
        {
            TorchRuntime.SetFlushDenormal(false);
        }
    }
}
