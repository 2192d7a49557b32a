using MLNetFlows.Torch;

namespace MLNetFlows.Torch.Tests;

/// <summary>
/// Fails a test that leaves native tensors alive: records the live-tensor count at the start (after finalizing
/// garbage from earlier tests) and asserts it is unchanged at the end, without forcing a GC in between.
/// </summary>
internal sealed class LeakCheck : IDisposable
{
    private readonly long _before;

    public LeakCheck()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _before = Tensor.LiveCount;
    }

    public long Leaked => Tensor.LiveCount - _before;

    public void Dispose() => Assert.Equal(0, Leaked);
}
