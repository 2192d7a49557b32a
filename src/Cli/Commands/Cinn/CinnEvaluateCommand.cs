using System.CommandLine;
using System.Globalization;
using Microsoft.ML;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// <c>mlnetflows evaluate cinn</c>: the conditional bits/dim of a labelled test set given its labels (uniform
/// dequantisation, per original pixel) and the accuracy of the model as a Bayes classifier,
/// argmax_c [log p(x | c) + log p(c)], through <c>mlContext.MulticlassClassification.Evaluate</c>.
/// </summary>
internal static class CinnEvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model zip written by 'mlnetflows train cinn'.", DefaultValueFactory = _ => ModelFile.DefaultConditionalInnPath };
        var data = new Option<string>("--data") { Description = $"Labelled test set: {string.Join(", ", CinnData.Names)}.", DefaultValueFactory = _ => "fashion-mnist-test" };
        var limit = CommonOptions.Limit();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var command = new Command("cinn", "Report a conditional INN's test bits/dim given the labels and its Bayes-classifier accuracy.") { model, data, limit, seed, threads };
        command.SetAction(r =>
        {
            TorchSettings.Apply(r.GetValue(threads));
            var ml = new MLContext(0);
            var name = r.GetValue(data)!;
            var input = CinnData.Load(ml, name, r.GetValue(limit), "--data");
            using var cinn = ModelFile.LoadConditionalInn(ml, r.GetValue(model)!);
            double bitsPerDim;
            Microsoft.ML.Data.MulticlassClassificationMetrics metrics;
            try
            {
                bitsPerDim = cinn.EvaluateBitsPerDim(input, r.GetValue(seed));
                metrics = ml.MulticlassClassification.Evaluate(cinn.Transform(input));
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliFailureException($"--data '{name}' does not fit the model: {e.Message}", e);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {bitsPerDim:F4} bits/dim given the labels (per original pixel, uniform dequantisation)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: Bayes-classifier accuracy {metrics.MicroAccuracy:F4} (macro {metrics.MacroAccuracy:F4}, log-loss {metrics.LogLoss:F4})"));
            return 0;
        });
        return command;
    }
}
