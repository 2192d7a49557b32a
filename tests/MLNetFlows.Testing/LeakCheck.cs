using MLNetFlows.Torch;

namespace MLNetFlows.Testing;

/// <summary>
/// Fails a test that leaves native tensors alive: records the live-tensor count at the start (after finalizing
/// garbage from earlier tests) and requires it unchanged at the end, without forcing a GC in between. Test assemblies
/// using it must run their tests one at a time (the count is process-wide).
/// </summary>
public sealed class LeakCheck : IDisposable
{
    private readonly long _before;

    /// <summary>Starts counting.</summary>
    public LeakCheck()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _before = Tensor.LiveCount;
    }

    /// <summary>Native tensors created since the start and still alive.</summary>
    public long Leaked => Tensor.LiveCount - _before;

    /// <summary>Throws when tensors leaked.</summary>
    public void Dispose()
    {
        if (Leaked != 0)
        {
            throw new ContractViolationException($"{Leaked} native tensor(s) leaked: dispose them or create them inside a DisposeScope");
        }
    }
}
