using MLNetFlows.Data;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Estimators.Tests;

/// <summary>Fashion-MNIST images as rows of 784 pixel values in [0, 255], the shape ExtractPixels produces.</summary>
internal static class FashionMnistRows
{
    public sealed class Row
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    public sealed class DoubleRow
    {
        [VectorType(784)]
        public double[] Features { get; set; } = [];
    }

    public static Row[] Load(int count, bool train = true, bool invert = false, bool anomaly = false, int skip = 0)
    {
        var (images, _) = FashionMnist.LoadRaw(train);
        return Enumerable.Range(skip, count).Select(i =>
        {
            var pixels = images.Pixels.Span.Slice(i * 784, 784);
            var features = new float[784];
            for (var p = 0; p < 784; p++)
            {
                features[p] = invert ? 255 - pixels[p] : pixels[p];
            }

            return new Row { Features = features, Label = anomaly };
        }).ToArray();
    }

    /// <summary>Flat images, each one gray level, labelled anomalous.</summary>
    public static Row[] Constant(int count) =>
        Enumerable.Range(0, count).Select(i => new Row { Features = Enumerable.Repeat((float)(i * 255 / (count - 1)), 784).ToArray(), Label = true }).ToArray();

    public static IDataView View(MLContext ml, params Row[][] parts) => ml.Data.LoadFromEnumerable(parts.SelectMany(p => p));
}
