using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows;

/// <summary>
/// Makes an <see cref="MLContext"/> able to load models that contain MLNetFlows transformers:
/// <code>
/// var mlContext = new MLContext();
/// mlContext.ComponentCatalog.RegisterMLNetFlows();
/// var model = mlContext.Model.LoadChecked("model.zip", out var inputSchema);
/// </code>
/// <c>LoadChecked</c> (<see cref="CheckedModelLoadingCatalog"/>) is <c>mlContext.Model.Load</c> after a check of the zip's
/// input-schema entry, a damaged one of which makes ML.NET's own loader spin forever: use it for every model file your
/// process did not just write; <c>mlContext.Model.Load</c> works the same way on a file you trust.
/// ML.NET finds loaders through attributes of a type internal to it, which no other library can declare, and loads a
/// model in a fresh MLContext before any of our code runs, so one call is needed there. A context that already built an
/// MLNetFlows estimator (e.g. <c>mlContext.Transforms.Glow(...)</c>) is registered by that call. Calling it again is
/// harmless. Saving needs nothing. It includes MLNetFlows.Transforms' loaders
/// (<see cref="MLNetFlowsTransformsComponents.RegisterMLNetFlowsTransforms"/>, e.g. <c>LoadImagesSafely</c>).
/// </summary>
public static class MLNetFlowsComponents
{
    /// <summary>Registers the loaders of every MLNetFlows transformer (safe image loading, Glow density and anomaly detection).</summary>
    /// <param name="catalog">The MLContext's <c>ComponentCatalog</c>.</param>
    public static void RegisterMLNetFlows(this ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Register(catalog);
    }

    internal static void Register(ComponentCatalog catalog)
    {
        catalog.RegisterMLNetFlowsTransforms();
        GlowTransformer.Register(catalog);
        GlowAnomalyTransformer.Register(catalog);
        Estimators.InfoGan.InfoGanTransformer.Register(catalog);
        Estimators.InfoGan.InfoGanGenerationTransformer.Register(catalog);
        Estimators.Cinn.ConditionalInnTransformer.Register(catalog);
        Estimators.Cinn.ImageConditionalInnTransformer.Register(catalog);
        Estimators.Cinn.ConditionalInnGenerationTransformer.Register(catalog);
    }
}
