using System.Globalization;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Transforms.Image;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>
/// The per-epoch sample grid of an InfoGAN training run: one row per class of the first categorical code (one row
/// without categorical codes), <see cref="Columns"/> columns of noise drawn once from the run's seed, so the same
/// noise appears in every epoch's grid and in every row; the continuous codes at 0, further categorical codes at class 0.
/// A column then shows what the categorical code changes, a row what the noise changes, and the files in epoch order
/// how training went. Written as <c>infogan-samples-epoch-NNN.png</c>.
/// </summary>
internal static class InfoGanSampleGrid
{
    /// <summary>Noise vectors per row.</summary>
    public const int Columns = 10;

    /// <summary>The file of epoch <paramref name="epoch"/> (1-based) in <paramref name="directory"/>.</summary>
    public static string PathOf(string directory, int epoch) =>
        Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"infogan-samples-epoch-{epoch:D3}.png"));

    /// <summary>The grid of <paramref name="model"/> (in evaluation mode), noise drawn from <paramref name="seed"/>.</summary>
    public static GlowImages Generate(InfoGanModel model, int seed)
    {
        var a = model.Architecture;
        var device = model.parameters().First().device;
        var rows = a.CategoryCounts.Count > 0 ? a.CategoryCounts[0] : 1;
        var count = rows * Columns;
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        manual_seed(seed).Dispose();
        var noise = InfoGanLatent.SampleNoise(a, Columns, device).repeat(rows, 1);
        var categories = zeros([count, a.CategoryCounts.Count], ScalarType.Int64, device);
        if (a.CategoryCounts.Count > 0)
        {
            categories.select(1, 0).copy_(tensor(Enumerable.Range(0, count).Select(i => (long)(i / Columns)).ToArray(), device: device));
        }

        var latent = InfoGanLatent.Compose(a, noise, new InfoGanCodes(categories, zeros([count, a.ContinuousCodes], device: device)));
        var values = model.Generate(latent).mul(Scalars.Of(255.0)).cpu().reshape(count, -1).data<float>().ToArray();
        var dimensions = (int)a.Dimensions;
        var pixels = new float[count][];
        for (var i = 0; i < count; i++)
        {
            pixels[i] = values.AsSpan(i * dimensions, dimensions).ToArray();
        }

        return new GlowImages(a.Channels, a.Height, a.Width, pixels);
    }

    /// <summary>Writes the grid of epoch <paramref name="epoch"/> into <paramref name="directory"/> (created if needed), atomically; returns its path.</summary>
    public static string Write(InfoGanModel model, int epoch, int seed, string directory)
    {
        var png = Generate(model, seed).ToPngGrid(Columns);
        Directory.CreateDirectory(directory);
        var path = PathOf(directory, epoch);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, png);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
