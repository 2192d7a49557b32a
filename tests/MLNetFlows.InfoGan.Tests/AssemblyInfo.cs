using System.Runtime.CompilerServices;
using MLNetFlows.Models.Runtime;
using TorchSharp;

// Tests here share libtorch's process-wide state (seed, threads, live-tensor count): run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MLNetFlows.InfoGan.Tests;

internal static class TestAssemblySetup
{
    /// <summary>
    /// Loads TorchSharp's native backend before the first test touches a tensor, on one intra-op thread (the tiny models
    /// here gain nothing from two on a shared 2-core machine).
    /// </summary>
#pragma warning disable CA2255 // Justified: TorchRuntime must run before the first TorchSharp call of the test process.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void LoadTorch()
    {
        TorchRuntime.EnsureInitialized();
        torch.set_num_threads(1);
    }
}
