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
/// var model = mlContext.Model.LoadChecked("model.zip", out var inputSchema);
/// </code>
/// <c>LoadChecked</c> (<see cref="CheckedModelLoadingCatalog"/>) is <c>mlContext.Model.Load</c> after a check of the zip's
/// input-schema entry, a damaged one of which makes ML.NET's own loader spin forever: use it for every model file your
/// process did not just write; <c>mlContext.Model.Load</c> works the same way on a file you trust.
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
