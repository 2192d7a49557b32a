using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.InfoGan.Tests;

/// <summary><see cref="ShapesData"/> as ML.NET rows: 64 pixel values in [0, 255] (ExtractPixels' layout) and the shape's class.</summary>
internal static class ShapeRows
{
    public static Row[] Load(int count, int seed = 7)
    {
        var (pixels, classes) = ShapesData.Images(count, seed);
        return [.. pixels.Select((p, i) => new Row { Features = p, Shape = (uint)classes[i] })];
    }

    public static IDataView View(MLContext ml, int count, int seed = 7) => ml.Data.LoadFromEnumerable(Load(count, seed));

    public sealed class Row
    {
        [VectorType(ShapesData.Side * ShapesData.Side)]
        public float[] Features { get; set; } = [];

        public uint Shape { get; set; }
    }

    public sealed class DoubleRow
    {
        [VectorType(ShapesData.Side * ShapesData.Side)]
        public double[] Features { get; set; } = [];
    }

    public sealed class WideRow
    {
        [VectorType(65)]
        public float[] Features { get; set; } = new float[65];
    }
}
