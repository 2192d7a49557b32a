using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Estimators.Tests;

/// <summary>Fashion-MNIST images as rows of 784 pixel values in [0, 255], the layout ExtractPixels produces.</summary>
internal static class FashionMnistRows
{
    public static Row[] Load(int count, bool train = true, bool invert = false, bool anomaly = false, int skip = 0)
    {
        var (images, _) = FashionMnist.LoadRaw(train ? FashionMnistSplit.Train : FashionMnistSplit.Test);
        return [.. Enumerable.Range(skip, count).Select(i =>
        {
            var pixels = images.GetImage(i).Span;
            var features = new float[784];
            for (var p = 0; p < 784; p++)
            {
                features[p] = invert ? 255 - pixels[p] : pixels[p];
            }

            return new Row { Features = features, Label = anomaly ? 1 : 0 };
        })];
    }

    /// <summary>Flat images, each one gray level, labelled anomalous.</summary>
    public static Row[] Constant(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Row { Features = Enumerable.Repeat((float)(i * 255 / (count - 1)), 784).ToArray(), Label = 1 })];

    public static IDataView View(MLContext ml, params Row[][] parts) => ml.Data.LoadFromEnumerable(parts.SelectMany(p => p));

    /// <summary>A row: pixels and an anomaly label as ML.NET's anomaly evaluator reads it (Single, 1 = anomaly).</summary>
    public sealed class Row
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    public sealed class DoubleRow
    {
        [VectorType(784)]
        public double[] Features { get; set; } = [];
    }
}
