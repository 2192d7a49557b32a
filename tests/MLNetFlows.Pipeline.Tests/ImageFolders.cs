using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows;
using MLNetFlows.Transforms.Datasets;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Pipeline.Tests;

/// <summary>PNG files of Fashion-MNIST images as a user would have them: normal ones and inverted ones (anomalies).</summary>
internal static class ImageFolders
{
    /// <summary>Writes the first <paramref name="count"/> test images (inverted when asked) and returns their paths.</summary>
    public static string[] Write(string folder, int count, bool inverted, int skip = 0)
    {
        Directory.CreateDirectory(folder);
        var mlContext = new MLContext(seed: 0);
        var images = mlContext.Data.LoadFashionMnist(FashionMnistSplit.Test, limit: skip + count);
        // GetColumn hands out one reused buffer: copy each row's values before the next is read.
        var pixels = images.GetColumn<VBuffer<float>>(ImageDatasetColumns.Features).Select(v => v.DenseValues().ToArray()).Skip(skip).ToArray();
        var paths = new string[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            var values = pixels[i].Select(v => (byte)(inverted ? 255 - v : v)).ToArray();
            paths[i] = Path.Combine(folder, $"{(inverted ? "inverted" : "normal")}-{i:D3}.png");
            File.WriteAllBytes(paths[i], PngEncoding.Encode(values, 28, 28, 1));
        }

        return paths;
    }
}
