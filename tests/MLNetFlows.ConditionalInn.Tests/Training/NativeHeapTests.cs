using MLNetFlows.Models.Runtime;

namespace MLNetFlows.ConditionalInn.Tests.Training;

/// <summary>The training loop's memory setting: glibc keeps freed memory for the next step (<see cref="NativeHeap"/>).</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void FreedMemoryIsRetainedOnLinuxAndTheCallIsIdempotent()
    {
        var applies = NativeHeap.RetainFreedMemory();
        Assert.Equal(OperatingSystem.IsLinux(), applies);
        Assert.True(NativeHeap.RetainFreedMemory() == applies, "a second call must report the same setting");
    }
}
