using System.Runtime.CompilerServices;
using MLNetFlows.Models.Runtime;

namespace MLNetFlows.Models.Tests;

internal static class TestSetup
{
    // CA2255 warns libraries off module initializers; this is a test assembly, and TorchSharp must be initialised
    // before any test touches a tensor (some build tensors before constructing a model).
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void InitializeTorch() => TorchRuntime.EnsureInitialized();
}
