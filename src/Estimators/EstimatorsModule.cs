using System.Runtime.CompilerServices;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Persistence;

namespace MLNetFlows.Estimators;

/// <summary>Registers this assembly's model loaders when the assembly is first used or named by a model file.</summary>
internal static class EstimatorsModule
{
#pragma warning disable CA2255 // Justified: loaders must be registered before Model.Load meets their kind; the registry runs this module constructor for the assembly named in the model file.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterLoaders()
    {
        ModelLoaderRegistry.Register(GlowTransformer.LoaderKind, GlowTransformer.Load);
        ModelLoaderRegistry.Register(GlowAnomalyTransformer.LoaderKind, GlowAnomalyTransformer.Load);
    }
}
