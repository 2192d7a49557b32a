using System.CommandLine;
using System.Globalization;
using Microsoft.ML;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// <c>mlnetflows demo cinn</c>: the class-conditional sample grid of a trained conditional INN (rows = classes, columns =
/// temperatures × seeds) as a PNG and a small HTML page, then (with <c>--colorization</c>) the colorization part
/// (<see cref="ColorizationDemo"/>): a colorization model trained for a few minutes, its figures and its grid on the page.
/// </summary>
internal static class CinnDemoCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model zip written by 'mlnetflows train cinn'.", DefaultValueFactory = _ => ModelFile.DefaultConditionalInnPath };
        var temperatures = new Option<string>("--temperatures") { Description = "Comma-separated latent temperatures, one group of columns each.", DefaultValueFactory = _ => "0.5,0.7,1.0" };
        var seeds = CommonOptions.Require(new Option<int>("--seeds") { Description = "Columns per temperature (seeds 0 … n − 1).", DefaultValueFactory = _ => 4 },
            s => s is >= 1 and <= 64, s => $"--seeds must be between 1 and 64, got {s}");
        var outputDir = new Option<string>("--output-dir") { DefaultValueFactory = _ => "demo-output" };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var colorization = ColorizationDemo.CreateOptions();
        var command = new Command("cinn", "Draw a class-conditional sample grid (rows = classes, columns = temperatures × seeds) from a conditional INN into a PNG and an HTML page; with --colorization, then train a colorization model for a few minutes and add its figures and colorization grid.")
        {
            model, temperatures, seeds, outputDir, seed, threads,
        };
        foreach (var option in colorization.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(r =>
        {
            var chosen = ParseTemperatures(r.GetValue(temperatures)!);
            var folder = r.GetValue(outputDir)!;
            Directory.CreateDirectory(folder);
            TorchSettings.Apply(r.GetValue(threads));
            var ml = new MLContext(0);
            using var cinn = ModelFile.LoadConditionalInn(ml, r.GetValue(model)!);
            var grid = CinnSampleGrid.Draw(ml, cinn, chosen, r.GetValue(seeds), r.GetValue(seed));
            var png = Path.Combine(folder, "cinn-samples.png");
            var html = Path.Combine(folder, "cinn-report.html");
            OutputFiles.WriteAllBytes(png, grid.ToPng());
            OutputFiles.WriteAllText(html, grid.ToHtml(r.GetValue(model)!, Path.GetFileName(png)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {png} ({grid.Classes} classes × {grid.Columns} columns: temperatures {string.Join(", ", chosen)}, {grid.Seeds} seed(s) each) and {html}"));
            if (colorization.IsRequested(r))
            {
                var section = colorization.Run(r, folder, r.GetValue(seed));
                OutputFiles.WriteAllText(html, grid.ToHtml(r.GetValue(model)!, Path.GetFileName(png), section));
                Console.WriteLine($"added the colorization section to {html}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>The temperatures of <paramref name="text"/> (comma-separated finite numbers ≥ 0, at least one).</summary>
    internal static double[] ParseTemperatures(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]) || values[i] < 0)
            {
                throw new CliFailureException($"--temperatures '{text}': '{parts[i]}' is not a finite number ≥ 0; give comma-separated temperatures such as 0.5,0.7,1.0");
            }
        }

        return values;
    }
}
