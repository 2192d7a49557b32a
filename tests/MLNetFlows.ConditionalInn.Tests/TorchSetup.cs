using System.Runtime.CompilerServices;
using MLNetFlows.Models.Runtime;
using TorchSharp;

namespace MLNetFlows.ConditionalInn.Tests;

/// <summary>Makes libtorch loadable and single-threaded before any test touches TorchSharp.</summary>
internal static class TorchSetup
{
#pragma warning disable CA2255 // Justified: TorchRuntime must run before the first TorchSharp call of the test process.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        TorchRuntime.EnsureInitialized();
        torch.set_num_threads(1);
    }
}
