using System.Globalization;
using System.Net;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// The class-conditional sample grid: one row per class, one column per (temperature, seed) pair, temperature-major.
/// Drawn through the per-row generation transformer (<see cref="ConditionalInnTransformer.AsGenerator"/>) from rows
/// (class, seed), so a column shares its latent noise across the classes and shows how the condition alone changes the
/// image.
/// </summary>
internal sealed class CinnSampleGrid
{
    private CinnSampleGrid(int classes, IReadOnlyList<double> temperatures, int seeds, IReadOnlyList<float[]> images, (int Channels, int Height, int Width) shape)
    {
        (Classes, Temperatures, Seeds, Images, Shape) = (classes, temperatures, seeds, images, shape);
    }

    public int Classes { get; }

    public IReadOnlyList<double> Temperatures { get; }

    public int Seeds { get; }

    public int Columns => Temperatures.Count * Seeds;

    /// <summary>Planar pixel arrays in [0, 255], row-major over the grid.</summary>
    public IReadOnlyList<float[]> Images { get; }

    public (int Channels, int Height, int Width) Shape { get; }

    /// <summary>Draws <paramref name="seeds"/> images per class at each temperature, seeds 0 … seeds − 1 combined with <paramref name="seed"/>.</summary>
    public static CinnSampleGrid Draw(MLContext ml, ConditionalInnTransformer cinn, IReadOnlyList<double> temperatures, int seeds, int seed)
    {
        var classes = cinn.NumberOfClasses;
        var rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, classes).SelectMany(c => Enumerable.Range(0, seeds).Select(s => new ConditionRow(c, s))).ToArray());
        var perTemperature = temperatures.Select(t =>
        {
            var generator = cinn.AsGenerator(new ConditionalInnGenerationOptions { Temperature = t, Seed = seed });
            return generator.Transform(rows).GetColumn<VBuffer<float>>(ConditionalInnGenerationOptions.DefaultOutputColumnName).Select(v => v.DenseValues().ToArray()).ToArray();
        }).ToArray();
        var images = new List<float[]>(classes * temperatures.Count * seeds);
        for (var c = 0; c < classes; c++)
        {
            foreach (var drawn in perTemperature)
            {
                images.AddRange(drawn.Skip(c * seeds).Take(seeds));
            }
        }

        return new CinnSampleGrid(classes, temperatures, seeds, images, cinn.ImageShape);
    }

    /// <summary>The grid as one PNG.</summary>
    public byte[] ToPng() => ImageGrid.EncodePng(Images, Shape.Channels, Shape.Height, Shape.Width, Columns);

    /// <summary>
    /// A self-contained HTML page showing the PNG (<paramref name="pngFile"/>, relative to the page) and what its rows and
    /// columns are, then <paramref name="moreSections"/> (HTML, e.g. the demo's colorization section).
    /// </summary>
    public string ToHtml(string model, string pngFile, string moreSections = "")
    {
        var columns = string.Join(", ", Temperatures.Select(t => string.Create(CultureInfo.InvariantCulture, $"T = {t}")));
        var width = Columns * (Shape.Width + ImageGrid.DefaultGap) * 3;
        return string.Create(CultureInfo.InvariantCulture,
            $"<!DOCTYPE html><html><head><meta charset='utf-8'><title>MLNetFlows conditional INN samples</title></head><body style='font-family:sans-serif;max-width:1200px'>" +
            $"<h1>Class-conditional samples</h1><p>Model {Escape(model)}. Rows: the {Classes} classes, 0 at the top. Columns: {Escape(columns)}, {Seeds} seed(s) each; " +
            $"a column uses the same latent noise for every class, so only the condition changes along it.</p>" +
            $"<img src='{Escape(pngFile)}' style='image-rendering:pixelated;width:{width}px'/>{moreSections}</body></html>");
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>One generated cell: a class and a seed.</summary>
    private sealed class ConditionRow(int label, int seed)
    {
        public int Label { get; } = label;

        public int Seed { get; } = seed;
    }
}
