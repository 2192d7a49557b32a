using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows;

/// <summary>
/// Makes an <see cref="MLContext"/> able to load models that contain MLNetFlows.Transforms' transformers
/// (<c>LoadImagesSafely</c>), for applications that reference this library alone:
/// <code>
/// var mlContext = new MLContext();
/// mlContext.ComponentCatalog.RegisterMLNetFlowsTransforms();
/// var model = mlContext.Model.Load("model.zip", out var inputSchema);
/// </code>
/// ML.NET finds loaders through attributes of a type internal to it, which no other library can declare, and loads a
/// model in a fresh MLContext before any of our code runs, so one call is needed there. A context that already built
/// <c>LoadImagesSafely</c> is registered by that call. With MLNetFlows.Estimators, call <c>RegisterMLNetFlows()</c>
/// instead: it registers these loaders too. Calling either again is harmless. Saving needs nothing.
/// </summary>
public static class MLNetFlowsTransformsComponents
{
    /// <summary>Registers the loaders of MLNetFlows.Transforms' transformers (safe image loading).</summary>
    /// <param name="catalog">The MLContext's <c>ComponentCatalog</c>.</param>
    public static void RegisterMLNetFlowsTransforms(this ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        SafeImageLoadingPersistence.Register(catalog);
    }
}
