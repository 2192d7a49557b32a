using System.Runtime.CompilerServices;
using MLNetFlows.Models.Runtime;

namespace MLNetFlows.Estimators.Tests;

/// <summary>Makes libtorch loadable before any test (or the fresh-process program) touches TorchSharp.</summary>
internal static class TorchSetup
{
#pragma warning disable CA2255 // Justified: TorchRuntime must run before the first TorchSharp call of the test process.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => TorchRuntime.EnsureInitialized();
}
