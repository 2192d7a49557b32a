using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.ConditionalInn.Tests.Estimators;

/// <summary>Fashion-MNIST rows with the label as a key (1 … 10) or as an Int32 class index.</summary>
internal static class Rows
{
    public static KeyRow[] Keyed(int count, bool train = true, int skip = 0)
    {
        var (pixels, labels) = FashionMnistSubset.Load(count, train, skip);
        return [.. Enumerable.Range(0, count).Select(i => new KeyRow { Features = Pixels(pixels, i), Label = labels[i] })];
    }

    public static IntRow[] Integer(int count, int? label = null)
    {
        var (pixels, labels) = FashionMnistSubset.Load(count);
        return [.. Enumerable.Range(0, count).Select(i => new IntRow { Features = Pixels(pixels, i), Label = label ?? labels[i] })];
    }

    private static float[] Pixels(byte[] pixels, int i) => pixels.AsSpan(i * 784, 784).ToArray().Select(p => (float)p).ToArray();

    /// <summary>
    /// LoadFromEnumerable stores a [KeyType(K)] property value v as the key value v + 1 (class v); values ≥ K become the
    /// missing key 0.
    /// </summary>
    public sealed class KeyRow
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        [KeyType(10)]
        public uint Label { get; set; }
    }

    public sealed class IntRow
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        public int Label { get; set; }
    }

    public sealed class FiveClassRow
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        [KeyType(5)]
        public uint Label { get; set; }
    }

    public sealed class SingleRow
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    public sealed class NoFeaturesRow
    {
        [VectorType(784)]
        public float[] Pixels { get; set; } = [];

        [KeyType(10)]
        public uint Label { get; set; }
    }
}
