using System.IO.Compression;
using Microsoft.ML;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Cli.Commands.Onnx;

/// <summary>Loads a Glow model zip to export: a detector written by <c>mlnetflows train glow</c> or a density model.</summary>
internal static class GlowModelFile
{
    /// <summary>Loads <paramref name="path"/>; every way the file can be wrong ends in one exception naming the file and the cause.</summary>
    public static ITransformer Load(MLContext ml, string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"model file '{path}' does not exist; train one with 'mlnetflows train glow --output {path}'", path);
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new CliFailureException($"model file '{path}' is empty: expected a model zip written by 'mlnetflows train glow'");
        }

        try
        {
            using var zip = ZipFile.OpenRead(path);
            _ = zip.Entries.Count;
        }
        catch (InvalidDataException e)
        {
            throw new CliFailureException($"model file '{path}' is not a valid zip archive ({e.Message}): expected a model zip written by 'mlnetflows train glow' (an .onnx file is already exported)", e);
        }

        ml.ComponentCatalog.RegisterMLNetFlows();
        ITransformer model;
        try
        {
            model = ml.Model.Load(path, out _);
        }
        catch (Exception e) when (CliErrors.ExpectedCause(e) is { } cause)
        {
            throw new CliFailureException($"cannot load the model '{path}': {cause.Message}", e);
        }

        if (model is GlowAnomalyTransformer or GlowTransformer)
        {
            return model;
        }

        (model as IDisposable)?.Dispose();
        throw new InvalidDataException($"'{path}' holds a {model.GetType().Name}, not a Glow model: only Glow density models and anomaly detectors export to ONNX");
    }
}
