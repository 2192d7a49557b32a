using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Estimators.Tests.Infrastructure;

/// <summary>Rows of a 4-slot feature vector for the toy transformer.</summary>
internal static class ToyData
{
    public const int Size = 4;
    public static readonly float[] Weights = [0.5f, -2f, 3f, 0.25f];

    public static Row[] Rows(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Row { Id = i, Features = [i, i * 0.5f, -i, 1f / (i + 1)] })];

    public static IDataView View(MLContext ml, int count) => ml.Data.LoadFromEnumerable(Rows(count));

    public static float[] Scale(float[] features) => [.. features.Select((x, j) => x * Weights[j])];

    public sealed class Row
    {
        public int Id { get; set; }

        [VectorType(Size)]
        public float[] Features { get; set; } = [];
    }

    public sealed class Scored
    {
        public int Id { get; set; }

        [VectorType(Size)]
        public float[] Features { get; set; } = [];

        [VectorType(Size)]
        public float[] Scaled { get; set; } = [];

        public float Sum { get; set; }
    }
}
