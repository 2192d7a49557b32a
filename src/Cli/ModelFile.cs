using System.IO.Compression;
using Microsoft.ML;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Estimators.InfoGan;

namespace MLNetFlows.Cli;

/// <summary>Loads a model zip written by <c>mlnetflows train glow|cinn|infogan</c> and checks what it holds.</summary>
internal static class ModelFile
{
    /// <summary>The model file the conditional INN commands read and write by default.</summary>
    public const string DefaultConditionalInnPath = "cinn.zip";

    /// <summary>The model file the InfoGAN commands read and write by default.</summary>
    public const string DefaultInfoGanPath = "infogan.zip";

    /// <summary>Loads the Glow anomaly detector saved at <paramref name="path"/> (see <see cref="Load{T}"/>).</summary>
    public static GlowAnomalyTransformer LoadDetector(MLContext ml, string path) =>
        Load<GlowAnomalyTransformer>(ml, path, "a Glow anomaly detector", "glow");

    /// <summary>Loads the conditional INN saved at <paramref name="path"/> (see <see cref="Load{T}"/>).</summary>
    public static ConditionalInnTransformer LoadConditionalInn(MLContext ml, string path) =>
        Load<ConditionalInnTransformer>(ml, path, "a conditional INN", "cinn");

    /// <summary>Loads the image-conditioned (colorization) INN saved at <paramref name="path"/> (see <see cref="Load{T}"/>).</summary>
    public static ImageConditionalInnTransformer LoadImageConditionalInn(MLContext ml, string path) =>
        Load<ImageConditionalInnTransformer>(ml, path, "a colorization conditional INN", "cinn --colorization wallpapers");

    /// <summary>Loads the InfoGAN saved at <paramref name="path"/> (see <see cref="Load{T}"/>).</summary>
    public static InfoGanTransformer LoadInfoGan(MLContext ml, string path) =>
        Load<InfoGanTransformer>(ml, path, "an InfoGAN model", "infogan");

    /// <summary>
    /// Loads the transformer saved at <paramref name="path"/> by <c>mlnetflows train <paramref name="trainCommand"/></c>,
    /// whatever it holds. Every way the file can be wrong (missing, empty, not a zip, truncated, entries missing or
    /// altered) ends in one <see cref="CliFailureException"/> whose message names the file and the cause;
    /// <paramref name="notAZipHint"/> is appended to the message for a file that is not a zip.
    /// </summary>
    public static ITransformer LoadTransformer(MLContext ml, string path, string trainCommand, string notAZipHint = "")
    {
        if (!File.Exists(path))
        {
            throw new CliFailureException($"model file '{path}' does not exist; train one with 'mlnetflows train {trainCommand} --output {path}'");
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new CliFailureException($"model file '{path}' is empty: expected a model zip written by 'mlnetflows train {trainCommand}'");
        }

        try
        {
            using var zip = ZipFile.OpenRead(path);
            _ = zip.Entries.Count;
        }
        catch (InvalidDataException e)
        {
            // ML.NET only says it failed to open one.
            throw new CliFailureException($"model file '{path}' is not a valid zip archive ({e.Message}): expected a model zip written by 'mlnetflows train {trainCommand}'{notAZipHint}", e);
        }

        ml.ComponentCatalog.RegisterMLNetFlows();
        try
        {
            return ml.Model.LoadChecked(path, out _); // checks the input-schema entry first: ML.NET 5.0.1 can hang on a damaged one
        }
        catch (Exception e) when (CliErrors.ExpectedCause(e) is { } cause)
        {
            throw new CliFailureException($"cannot load the model '{path}': {cause.Message}", e);
        }
    }

    /// <summary>
    /// Loads the transformer saved at <paramref name="path"/> by <c>mlnetflows train <paramref name="trainCommand"/></c>
    /// (see <see cref="LoadTransformer"/>) and requires it to be a <typeparamref name="T"/>, with a hint naming the command
    /// for the model the file holds when it is not.
    /// </summary>
    private static T Load<T>(MLContext ml, string path, string kind, string trainCommand)
        where T : class, ITransformer
    {
        var model = LoadTransformer(ml, path, trainCommand);
        if (model is T expected)
        {
            return expected;
        }

        var hint = model switch
        {
            GlowAnomalyTransformer => " (a Glow anomaly detector: use the command without a model subcommand)",
            ConditionalInnTransformer => " (a conditional INN: use the command's 'cinn' subcommand, e.g. 'mlnetflows sample cinn')",
            ImageConditionalInnTransformer => " (a colorization conditional INN: use 'mlnetflows colorize' or 'mlnetflows sample cinn --condition image.png')",
            InfoGanTransformer => " (an InfoGAN: use the command's 'infogan' subcommand, e.g. 'mlnetflows sample infogan')",
            _ => string.Empty,
        };
        (model as IDisposable)?.Dispose();
        throw new CliFailureException($"'{path}' holds a {model.GetType().Name}, not {kind} written by 'mlnetflows train {trainCommand}'{hint}");
    }
}
