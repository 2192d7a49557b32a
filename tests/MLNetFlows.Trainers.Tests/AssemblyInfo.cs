using System.Runtime.CompilerServices;
using MLNetFlows.Models.Runtime;
using TorchSharp;

// Tests here share libtorch's process-wide state (seed, threads, live-tensor count): run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MLNetFlows.Trainers.Tests;

internal static class TestAssemblySetup
{
    /// <summary>
    /// Loads TorchSharp's native backend before the first test touches a tensor, on one intra-op thread: the tiny
    /// models here gain nothing from two, and on a busy 2-core machine libtorch's spinning OpenMP threads made the
    /// suite 12× slower (75 s instead of 6 s, measured at a load average of 10).
    /// </summary>
    [ModuleInitializer]
    internal static void LoadTorch()
    {
        TorchRuntime.EnsureInitialized();
        torch.set_num_threads(1);
    }
}
