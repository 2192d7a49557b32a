using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Estimators.Cinn;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// <c>mlnetflows evaluate cinn</c>. A class model: the conditional bits/dim of a labelled test set given its labels
/// (uniform dequantisation, per original pixel) and the accuracy of the model as a Bayes classifier,
/// argmax_c [log p(x | c) + log p(c)], through <c>mlContext.MulticlassClassification.Evaluate</c>. A colorization model:
/// the bits/dim of the chroma given the lightness and the colorization figures (<see cref="CinnColorizationEvaluation"/>).
/// </summary>
internal static class CinnEvaluateCommand
{
    private const string DefaultClassData = "fashion-mnist-test";

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model zip written by 'mlnetflows train cinn' (a class or a colorization model).", DefaultValueFactory = _ => ModelFile.DefaultConditionalInnPath };
        var data = new Option<string?>("--data")
        {
            Description = $"Test set. A class model: {string.Join(", ", CinnData.Names)} or a folder with one subfolder per class (default {DefaultClassData}). A colorization model: '{CinnColorizationTraining.Wallpapers}' (the held-out wallpaper photographs, the default) or a folder of colour PNG/JPEG photographs (all of them).",
        };
        var samples = CommonOptions.Require(new Option<int>("--samples") { Description = "Colorization: samples per patch for the best-of-n figure (the paper's 8).", DefaultValueFactory = _ => 8 },
            s => s is >= 1 and <= 256, s => $"--samples must be between 1 and 256, got {s}");
        var temperature = CommonOptions.Require(
            new Option<double>("--temperature") { Description = "Colorization: latent temperature of the samples.", DefaultValueFactory = _ => 1.0 },
            t => t >= 0 && double.IsFinite(t), t => $"--temperature must be a finite number ≥ 0, got {t}");
        var limit = CommonOptions.Limit();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var command = new Command("cinn", "Report a conditional INN's test bits/dim given the conditions, and its Bayes-classifier accuracy (class models) or its colorization figures (colorization models).")
        {
            model, data, samples, temperature, limit, seed, threads,
        };
        command.SetAction(r =>
        {
            TorchSettings.Apply(r.GetValue(threads));
            var ml = new MLContext(0);
            var path = r.GetValue(model)!;
            var loaded = ModelFile.LoadTransformer(ml, path, "cinn");
            switch (loaded)
            {
                case ConditionalInnTransformer classes:
                    using (classes)
                    {
                        EvaluateClasses(ml, classes, path, r.GetValue(data) ?? DefaultClassData, r.GetValue(limit), r.GetValue(seed));
                    }

                    break;
                case ImageConditionalInnTransformer colorization:
                    using (colorization)
                    {
                        var name = r.GetValue(data) ?? CinnColorizationTraining.Wallpapers;
                        var input = CinnColorizationEvaluation.Load(ml, colorization, path, name, r.GetValue(limit));
                        CinnColorizationEvaluation.Report(colorization, input, name, r.GetValue(samples), r.GetValue(temperature), r.GetValue(seed));
                    }

                    break;
                default:
                    (loaded as IDisposable)?.Dispose();
                    throw new CliFailureException($"'{path}' holds a {loaded.GetType().Name}, not a conditional INN written by 'mlnetflows train cinn'");
            }

            return 0;
        });
        return command;
    }

    private static void EvaluateClasses(MLContext ml, ConditionalInnTransformer cinn, string path, string name, int? limit, int seed)
    {
        if (name == CinnColorizationTraining.Wallpapers)
        {
            throw new CliFailureException($"--data '{name}' is colour photographs for a colorization model, but '{path}' is a class-conditional INN: give one of {string.Join(", ", CinnData.Names)} or a folder with one subfolder per class");
        }

        var input = CinnData.Load(ml, name, limit, "--data");
        double bitsPerDim;
        Microsoft.ML.Data.MulticlassClassificationMetrics metrics;
        try
        {
            bitsPerDim = cinn.EvaluateBitsPerDim(input, seed);
            metrics = ml.MulticlassClassification.Evaluate(cinn.Transform(input));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CliFailureException($"--data '{name}' does not fit the model: {e.Message}", e);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {bitsPerDim:F4} bits/dim given the labels (per original pixel, uniform dequantisation)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: Bayes-classifier accuracy {metrics.MicroAccuracy:F4} (macro {metrics.MacroAccuracy:F4}, log-loss {metrics.LogLoss:F4})"));
    }
}
