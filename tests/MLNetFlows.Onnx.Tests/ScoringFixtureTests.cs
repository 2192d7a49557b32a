using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Onnx.Tests;

/// <summary>
/// Keeps the fixture of MLNetFlows.OnnxScoring.Tests (which must not load TorchSharp) honest: a tiny detector's model zip,
/// its ONNX export and the columns TorchSharp computes for the first Fashion-MNIST test images. The test checks that the
/// checked-in export is what exporting the checked-in zip gives and that the expected columns are what TorchSharp
/// computes; with MLNETFLOWS_WRITE_ONNX_FIXTURES=1 it first trains a new detector and rewrites the three files.
/// </summary>
public sealed class ScoringFixtureTests
{
    public const int Rows = 200;

    [Fact]
    public void CheckedInFixtureIsWhatTorchSharpAndTheExporterGive()
    {
        var folder = FixtureFolder();
        var zip = Path.Combine(folder, "glow-detector.zip");
        var onnx = Path.Combine(folder, "glow-detector.onnx");
        var csv = Path.Combine(folder, "glow-detector-expected.csv");
        if (Environment.GetEnvironmentVariable("MLNETFLOWS_WRITE_ONNX_FIXTURES") == "1")
        {
            Write(zip, onnx, csv);
        }

        var ml = TinyGlows.FreshContext();
        using var detector = Assert.IsType<GlowAnomalyTransformer>(ml.Model.Load(zip, out _));
        using var exported = new MemoryStream();
        GlowOnnxExporter.Export(detector, exported);
        Assert.Equal(File.ReadAllBytes(onnx), exported.ToArray());

        var expected = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToArray();
        var actual = Lines(ml, detector).Select(l => l.Split(',')).ToArray();
        Assert.Equal(Rows, expected.Length);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < Rows; i++)
        {
            for (var c = 0; c < expected[i].Length - 1; c++)
            {
                Assert.Equal(double.Parse(expected[i][c], CultureInfo.InvariantCulture), double.Parse(actual[i][c], CultureInfo.InvariantCulture), 1e-4);
            }

            Assert.Equal(expected[i][^1], actual[i][^1]);
        }
    }

    private static void Write(string zip, string onnx, string csv)
    {
        using var detector = TinyGlows.Detector();
        var ml = new MLContext(0);
        ml.Model.Save(detector, null, zip);
        GlowOnnxExporter.Export(detector, onnx);
        File.WriteAllLines(csv, ["log_likelihood,bits_per_dim,level0_bits_per_dim,level1_bits_per_dim,score,predicted_label", .. Lines(ml, detector)]);
    }

    private static IEnumerable<string> Lines(MLContext ml, GlowAnomalyTransformer detector)
    {
        var scored = detector.Transform(TinyGlows.TestImages(ml, Rows));
        var logLikelihood = ScoredColumns.Floats(scored, GlowColumns.LogLikelihood);
        var bits = ScoredColumns.Floats(scored, GlowColumns.BitsPerDim);
        var levels = ScoredColumns.Floats(scored, GlowColumns.LevelBitsPerDim);
        var score = ScoredColumns.Floats(scored, GlowColumns.Score);
        var label = ScoredColumns.Booleans(scored, GlowColumns.PredictedLabel);
        return Enumerable.Range(0, logLikelihood.Length).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{logLikelihood[i]:R},{bits[i]:R},{levels[2 * i]:R},{levels[(2 * i) + 1]:R},{score[i]:R},{(label[i] ? "true" : "false")}"));
    }

    private static string FixtureFolder([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "MLNetFlows.OnnxScoring.Tests", "Fixtures"));
}
