using Microsoft.ML;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Estimators.InfoGan;

namespace MLNetFlows.Cli.Commands.Onnx;

/// <summary>
/// Loads a model zip to export: a Glow detector or density model, a class- or image-conditioned (colorization) INN or an
/// InfoGAN, as written by
/// <c>mlnetflows train glow|cinn|infogan</c>.
/// </summary>
internal static class ExportableModelFile
{
    /// <summary>Loads <paramref name="path"/>; every way the file can be wrong ends in one exception naming the file and the cause.</summary>
    public static ITransformer Load(MLContext ml, string path)
    {
        var model = ModelFile.LoadTransformer(ml, path, "glow|cinn|infogan", " (an .onnx file is already exported)");
        if (model is GlowAnomalyTransformer or GlowTransformer or ConditionalInnTransformer or ImageConditionalInnTransformer or InfoGanTransformer)
        {
            return model;
        }

        (model as IDisposable)?.Dispose();
        throw new InvalidDataException($"'{path}' holds a {model.GetType().Name}, which does not export to ONNX: expected a Glow (density model or anomaly detector), a conditional INN (class-conditioned or colorization) or an InfoGAN");
    }
}
