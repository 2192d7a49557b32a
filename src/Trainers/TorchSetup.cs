using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using MLNetFlows.Models.Runtime;

namespace MLNetFlows.Trainers;

/// <summary>Makes TorchSharp loadable before this assembly's first use of it (see <see cref="TorchRuntime"/>).</summary>
internal static class TorchSetup
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "TorchSharp must be made loadable before this library's first tensor.")]
    internal static void OnAssemblyLoad() => TorchRuntime.InitializeOnAssemblyLoad();
}
