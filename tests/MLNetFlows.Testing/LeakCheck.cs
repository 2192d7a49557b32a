using TorchSharp;

namespace MLNetFlows.Testing;

/// <summary>
/// Fails a test that leaves native tensors alive: records TorchSharp's live-tensor count of the current thread
/// (<see cref="DisposeScopeManager.Statistics"/>' <c>ThreadTotalLiveCount</c>: tensors created on this thread minus those
/// disposed on it) plus that of the library's inference workers (<c>InferenceWorkers.LiveTensors</c>, which score pieces
/// of a batch on their own threads) at the start and requires it unchanged at the end, without forcing a GC in between
/// (a leaked tensor finalized by the GC is disposed on the finalizer thread, so it still counts as leaked here). The test
/// must create and dispose its tensors on its own thread or in worker pieces, and test assemblies using it run their
/// tests one at a time.
/// <see cref="torch.Tensor.TotalCount"/> is not used: in TorchSharp 0.107 every <c>nn.Parameter(tensor)</c> leaves it one
/// too high for good (the wrapped tensor's handle moves to the parameter without the count going down).
/// </summary>
public sealed class LeakCheck : IDisposable
{
    private readonly long _before;

    /// <summary>Starts counting.</summary>
    public LeakCheck()
    {
        MLNetFlows.Models.Runtime.TorchRuntime.EnsureInitialized();
        _before = LiveTensors;
    }

    /// <summary>Native tensors created on this thread since the start and still alive.</summary>
    public long Leaked => LiveTensors - _before;

    private static long LiveTensors => DisposeScopeManager.Statistics.ThreadTotalLiveCount + MLNetFlows.Models.Runtime.InferenceWorkers.LiveTensors;

    /// <summary>Throws when tensors leaked.</summary>
    public void Dispose()
    {
        if (Leaked != 0)
        {
            throw new ContractViolationException($"{Leaked} native tensor(s) leaked: dispose them or create them inside a DisposeScope");
        }
    }
}
