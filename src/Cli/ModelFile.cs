using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Cli;

/// <summary>Loads a model zip written by <c>mlnetflows train</c> and names what it holds.</summary>
internal static class ModelFile
{
    public static GlowAnomalyTransformer LoadDetector(MLContext ml, string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"model file '{path}' does not exist; train one with 'mlnetflows train glow --output {path}'");
        }

        var model = ml.Model.Load(path, out _);
        return model as GlowAnomalyTransformer
            ?? throw new InvalidDataException($"'{path}' holds a {model.GetType().Name}, not a Glow anomaly detector written by 'mlnetflows train glow'");
    }

    public static GlowTransformer LoadDensity(MLContext ml, string path) => LoadDetector(ml, path).Density;
}
