using System.IO.Compression;
using Microsoft.ML;
using MLNetFlows.Estimators.Anomaly;

namespace MLNetFlows.Cli;

/// <summary>Loads a model zip written by <c>mlnetflows train glow</c> and checks what it holds.</summary>
internal static class ModelFile
{
    /// <summary>
    /// Loads the Glow anomaly detector saved at <paramref name="path"/>. Every way the file can be wrong (missing, not a
    /// zip, truncated, entries missing or altered, another kind of model) ends in one exception whose message names the
    /// file and the cause.
    /// </summary>
    public static GlowAnomalyTransformer LoadDetector(MLContext ml, string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"model file '{path}' does not exist; train one with 'mlnetflows train glow --output {path}'", path);
        }

        RequireZip(path);
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

        if (model is GlowAnomalyTransformer detector)
        {
            return detector;
        }

        (model as IDisposable)?.Dispose();
        throw new InvalidDataException($"'{path}' holds a {model.GetType().Name}, not a Glow anomaly detector written by 'mlnetflows train glow'");
    }

    /// <summary>Says plainly when the file is no zip archive at all (ML.NET only says it failed to open one).</summary>
    private static void RequireZip(string path)
    {
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
            throw new CliFailureException($"model file '{path}' is not a valid zip archive ({e.Message}): expected a model zip written by 'mlnetflows train glow'", e);
        }
    }
}
