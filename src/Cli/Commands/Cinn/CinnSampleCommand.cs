using System.CommandLine;
using System.Globalization;
using Microsoft.ML;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary><c>mlnetflows sample cinn --class 3</c>: draws images of one class from a conditional INN into a PNG grid.</summary>
internal static class CinnSampleCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model zip written by 'mlnetflows train cinn'.", DefaultValueFactory = _ => ModelFile.DefaultConditionalInnPath };
        var label = new Option<int?>("--class") { Description = "The class to draw, 0-based (Fashion-MNIST: 0 T-shirt/top … 9 ankle boot)." };
        var count = CommonOptions.Require(new Option<int>("--count") { DefaultValueFactory = _ => 16 }, c => c >= 1, c => $"--count must be at least 1, got {c}");
        var temperature = CommonOptions.Require(
            new Option<double>("--temperature") { Description = "Latent temperature (below 1 gives cleaner samples).", DefaultValueFactory = _ => 0.8 },
            t => t >= 0 && double.IsFinite(t), t => $"--temperature must be a finite number ≥ 0, got {t}");
        var columns = CommonOptions.Require(new Option<int>("--columns") { DefaultValueFactory = _ => 8 }, c => c >= 1, c => $"--columns must be at least 1, got {c}");
        var output = new Option<string>("--output") { DefaultValueFactory = _ => "cinn.png" };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var condition = new Option<string?>("--condition") { Description = "A colorization model: the image whose gray version to colorize (instead of --class)." };
        var command = new Command("cinn", "Draw images of one class from a conditional INN into a PNG grid.") { model, label, count, temperature, columns, output, seed, threads, condition };
        command.SetAction(r =>
        {
            if (r.GetValue(condition) is { } conditionImage)
            {
                OutputFiles.RequireFolder(r.GetValue(output)!, "--output");
                TorchSettings.Apply(r.GetValue(threads));
                return CinnConditionSampling.Run(r.GetValue(model)!, conditionImage, r.GetValue(count), r.GetValue(temperature), r.GetValue(columns), r.GetValue(output)!, r.GetValue(seed));
            }

            var chosen = r.GetValue(label) ?? throw new CliFailureException("--class is required: the class to draw, 0-based");
            OutputFiles.RequireFolder(r.GetValue(output)!, "--output");
            TorchSettings.Apply(r.GetValue(threads));
            using var cinn = ModelFile.LoadConditionalInn(new MLContext(0), r.GetValue(model)!);
            if (chosen < 0 || chosen >= cinn.NumberOfClasses)
            {
                throw new CliFailureException($"--class {chosen}: the model has {cinn.NumberOfClasses} classes, numbered 0 to {cinn.NumberOfClasses - 1}");
            }

            var images = cinn.Sample(chosen, r.GetValue(count), r.GetValue(temperature), r.GetValue(seed));
            OutputFiles.WriteAllBytes(r.GetValue(output)!, images.ToPngGrid(r.GetValue(columns)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {r.GetValue(output)} ({images.Pixels.Count} samples of class {chosen} at temperature {r.GetValue(temperature)})"));
            return 0;
        });
        return command;
    }
}
