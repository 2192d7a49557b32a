using System.CommandLine;

namespace MLNetFlows.Cli.Commands;

/// <summary><c>mlnetflows sample</c>: draws images from a trained model and writes them as a PNG grid.</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var count = new Option<int>("--count") { DefaultValueFactory = _ => 64 };
        var temperature = new Option<double>("--temperature") { Description = "Prior temperature (0.7 gives sharper samples).", DefaultValueFactory = _ => 0.7 };
        var columns = new Option<int>("--columns") { DefaultValueFactory = _ => 8 };
        var output = new Option<string>("--output") { DefaultValueFactory = _ => "samples.png" };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var command = new Command("sample", "Draw images from a trained model into a PNG grid.") { model, count, temperature, columns, output, seed, threads };
        command.SetAction(r =>
        {
            TorchSettings.Apply(r.GetValue(threads));
            var ml = new MLContext(0);
            using var detector = ModelFile.LoadDetector(ml, r.GetValue(model)!);
            var images = detector.Density.Sample(r.GetValue(count), r.GetValue(temperature), r.GetValue(seed));
            File.WriteAllBytes(r.GetValue(output)!, images.ToPngGrid(r.GetValue(columns)));
            Console.WriteLine($"wrote {r.GetValue(output)} ({images.Pixels.Count} samples at temperature {r.GetValue(temperature)})");
            return 0;
        });
        return command;
    }
}
