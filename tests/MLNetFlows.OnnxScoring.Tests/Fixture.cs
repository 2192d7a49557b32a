using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.OnnxScoring.Tests;

/// <summary>
/// The exported tiny detector and the columns TorchSharp computed for the first Fashion-MNIST test images
/// (Fixtures/glow-detector-expected.csv, one row per image).
/// </summary>
internal static class Fixture
{
    public static string OnnxFile => Path.Combine(AppContext.BaseDirectory, "Fixtures", "glow-detector.onnx");

    public static IReadOnlyList<Expected> Rows { get; } = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "glow-detector-expected.csv"))
        .Skip(1)
        .Select(line => line.Split(','))
        .Select(f => new Expected(Parse(f[0]), Parse(f[1]), [Parse(f[2]), Parse(f[3])], Parse(f[4]), f[5] == "true"))
        .ToArray();

    /// <summary>The images the expected rows belong to (Features: Vector&lt;Single, 1, 28, 28&gt;, 0–255; Label).</summary>
    public static IDataView Images(MLContext ml) => ml.Data.LoadFashionMnist(FashionMnistSplit.Test, Rows.Count);

    private static float Parse(string text) => float.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>One image's columns as the TorchSharp transformer computed them.</summary>
    public sealed record Expected(float LogLikelihood, float BitsPerDim, float[] LevelBitsPerDim, float Score, bool PredictedLabel);
}
