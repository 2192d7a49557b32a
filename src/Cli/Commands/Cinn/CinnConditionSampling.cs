using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// <c>mlnetflows sample cinn --condition image.png</c>: draws colour versions of one gray image from a colorization
/// conditional INN into a PNG grid — the gray condition first, then <c>--count</c> samples (seeds seed, seed + 1, …).
/// </summary>
internal static class CinnConditionSampling
{
    public static int Run(string modelPath, string conditionPath, int count, double temperature, int columns, string output, int seed)
    {
        using var cinn = ModelFile.LoadImageConditionalInn(new MLContext(0), modelPath);
        var images = new ColorizationImages(cinn, modelPath);
        var gray = images.ReadGray(conditionPath, "--condition");
        var grayAsRgb = new float[3 * gray.Gray.Length];
        for (var c = 0; c < 3; c++)
        {
            gray.Gray.CopyTo(grayAsRgb, c * gray.Gray.Length);
        }

        var grid = new List<float[]> { grayAsRgb };
        grid.AddRange(images.Colorize(gray, count, temperature, seed));
        OutputFiles.WriteAllBytes(output, ImageGrid.EncodePng(grid, 3, gray.Height, gray.Width, Math.Min(columns, grid.Count)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {output} (the gray condition {gray.Width}×{gray.Height}, then {count} colour samples at temperature {temperature})"));
        return 0;
    }
}
