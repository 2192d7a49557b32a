using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// <c>mlnetflows colorize --model m.zip --input &lt;png|jpg|folder&gt; --output &lt;dir&gt;</c>: colorizes gray photographs
/// (any image is turned gray first) with a colorization conditional INN, writing for each input
/// <c>&lt;name&gt;-gray.png</c> and <c>&lt;name&gt;-sample&lt;k&gt;.png</c> for k = 1 … <c>--samples</c>.
/// </summary>
internal static class ColorizeCommand
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Colorization model zip written by 'mlnetflows train cinn --colorization'.", DefaultValueFactory = _ => ModelFile.DefaultConditionalInnPath };
        var input = new Option<string?>("--input") { Description = "A PNG or JPEG image, or a folder of them (colour images are turned gray first)." };
        var output = new Option<string>("--output") { Description = "Folder to write the gray inputs and the colorized samples to.", DefaultValueFactory = _ => "colorized" };
        var samples = CommonOptions.Require(new Option<int>("--samples") { Description = "Colour versions per image.", DefaultValueFactory = _ => 4 }, s => s >= 1, s => $"--samples must be at least 1, got {s}");
        var temperature = CommonOptions.Require(
            new Option<double>("--temperature") { Description = "Latent temperature (below 1 gives more conservative colours).", DefaultValueFactory = _ => 1.0 },
            t => t >= 0 && double.IsFinite(t), t => $"--temperature must be a finite number ≥ 0, got {t}");
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var command = new Command("colorize", "Colorize gray photographs with a colorization conditional INN (several samples per image).") { model, input, output, samples, temperature, seed, threads };
        command.SetAction(r =>
        {
            var inputPath = r.GetValue(input) ?? throw new CliFailureException("--input is required: a PNG or JPEG image, or a folder of them");
            var files = InputFiles(inputPath);
            var folder = r.GetValue(output)!;
            OutputFiles.RequireWritableFolder(folder, "--output");
            TorchSettings.Apply(r.GetValue(threads));
            using var cinn = ModelFile.LoadImageConditionalInn(new MLContext(0), r.GetValue(model)!);
            var images = new ColorizationImages(cinn, r.GetValue(model)!);
            foreach (var file in files)
            {
                var gray = images.ReadGray(file, "--input");
                var stem = Path.GetFileNameWithoutExtension(file);
                OutputFiles.WriteAllBytes(Path.Combine(folder, $"{stem}-gray.png"), PngEncoding.EncodePlanar(gray.Gray, 1, gray.Height, gray.Width));
                var colour = images.Colorize(gray, r.GetValue(samples), r.GetValue(temperature), r.GetValue(seed));
                for (var k = 0; k < colour.Length; k++)
                {
                    OutputFiles.WriteAllBytes(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{stem}-sample{k + 1}.png")), PngEncoding.EncodePlanar(colour[k], 3, gray.Height, gray.Width));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{file}: {gray.Width}×{gray.Height} gray → {colour.Length} colour sample(s) at temperature {r.GetValue(temperature)} in {folder}"));
            }

            return 0;
        });
        return command;
    }

    private static List<string> InputFiles(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new CliFailureException($"--input '{path}' does not exist: expected a PNG or JPEG image, or a folder of them");
        }

        var files = Directory.EnumerateFiles(path).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files : throw new CliFailureException($"--input '{path}' holds no .png, .jpg or .jpeg file");
    }
}
