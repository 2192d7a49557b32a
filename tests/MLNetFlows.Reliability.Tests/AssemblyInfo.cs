using System.Runtime.CompilerServices;
using MLNetFlows.Models.Runtime;
using TorchSharp;

// Tests here share libtorch's process-wide state (seed, threads, live-tensor count) and spawn CPU-heavy child
// processes: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MLNetFlows.Reliability.Tests;

internal static class TestAssemblySetup
{
    /// <summary>Loads libtorch before the first test touches a tensor, on one intra-op thread (the machine is shared).</summary>
#pragma warning disable CA2255 // Justified: TorchRuntime must run before the first TorchSharp call of the test process.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void LoadTorch()
    {
        TorchRuntime.EnsureInitialized();
        torch.set_num_threads(1);
    }
}
