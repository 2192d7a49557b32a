using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands;

/// <summary><c>mlnetflows sample</c>: draws images from a trained model and writes them as a PNG grid.</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var count = CommonOptions.Require(new Option<int>("--count") { DefaultValueFactory = _ => 64 }, c => c >= 1, c => $"--count must be at least 1, got {c}");
        var temperature = CommonOptions.Require(
            new Option<double>("--temperature") { Description = "Prior temperature (0.7 gives sharper samples).", DefaultValueFactory = _ => 0.7 },
            t => t >= 0 && double.IsFinite(t), t => $"--temperature must be a finite number ≥ 0, got {t}");
        var columns = CommonOptions.Require(new Option<int>("--columns") { DefaultValueFactory = _ => ImageGrid.DefaultColumns }, c => c >= 1, c => $"--columns must be at least 1, got {c}");
        var output = new Option<string>("--output") { DefaultValueFactory = _ => "samples.png" };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var command = new Command("sample", "Draw images from a trained model into a PNG grid.") { model, count, temperature, columns, output, seed, threads };
        command.SetAction(r =>
        {
            OutputFiles.RequireFolder(r.GetValue(output)!, "--output");
            TorchSettings.Apply(r.GetValue(threads));
            var ml = new MLContext(0);
            using var detector = ModelFile.LoadDetector(ml, r.GetValue(model)!);
            var images = detector.Density.Sample(r.GetValue(count), r.GetValue(temperature), r.GetValue(seed));
            OutputFiles.WriteAllBytes(r.GetValue(output)!, ImageGrid.EncodePng(images.Pixels, images.Channels, images.Height, images.Width, r.GetValue(columns)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {r.GetValue(output)} ({images.Pixels.Count} samples at temperature {r.GetValue(temperature)})"));
            return 0;
        });
        command.Subcommands.Add(InfoGan.InfoGanSampleCommand.Create());
        command.Subcommands.Add(Cinn.CinnSampleCommand.Create());
        return command;
    }
}
