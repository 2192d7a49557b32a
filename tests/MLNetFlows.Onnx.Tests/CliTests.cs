using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.OnnxScoring;

namespace MLNetFlows.Onnx.Tests;

/// <summary><c>mlnetflows export</c> and <c>mlnetflows score --engine onnx</c>, run as separate processes.</summary>
public sealed class CliTests : IClassFixture<CliTests.SavedDetectors>
{
    private readonly SavedDetectors _models;

    public CliTests(SavedDetectors models)
    {
        _models = models;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ScoreWithTheOnnxEngineWritesTheSameCsvAsTorchSharp(bool complexityCorrected)
    {
        using var temp = new TempDirectory();
        var onnx = temp.File("glow.onnx");
        var zip = complexityCorrected ? _models.ComplexityCorrected : _models.Detector;
        var exported = CliProcess.Run("export", "--model", zip, "--output", onnx).AssertSuccess();
        Assert.StartsWith($"wrote {onnx} (", exported.Output, StringComparison.Ordinal);
        Assert.Contains("density direction, ONNX opset 17)", exported.Output, StringComparison.Ordinal);

        var torchCsv = temp.File("torch.csv");
        var onnxCsv = temp.File("onnx.csv");
        var torch = CliProcess.Run("score", "--model", zip, "--data", "fashion-mnist-test", "--limit", "300", "--output", torchCsv, "--threads", "1").AssertSuccess();
        var viaOnnx = CliProcess.Run("score", "--engine", "onnx", "--model", onnx, "--data", "fashion-mnist-test", "--limit", "300", "--output", onnxCsv, "--threads", "1").AssertSuccess();

        Assert.Equal(torch.Output.Replace(torchCsv, "X", StringComparison.Ordinal), viaOnnx.Output.Replace(onnxCsv, "X", StringComparison.Ordinal));
        var expected = File.ReadAllLines(torchCsv);
        var actual = File.ReadAllLines(onnxCsv);
        Assert.Equal(301, actual.Length);
        Assert.Equal(expected[0], actual[0]);
        for (var i = 1; i < expected.Length; i++)
        {
            var (e, a) = (expected[i].Split(','), actual[i].Split(','));
            Assert.Equal(e[0], a[0]);
            Assert.Equal(double.Parse(e[1], CultureInfo.InvariantCulture), double.Parse(a[1], CultureInfo.InvariantCulture), 1e-3);
            Assert.Equal(double.Parse(e[3], CultureInfo.InvariantCulture), double.Parse(a[3], CultureInfo.InvariantCulture), 1e-5);
            Assert.Equal(e[4], a[4]);
        }
    }

    [Fact]
    public void ExportsTheSamplingDirection()
    {
        using var temp = new TempDirectory();
        var onnx = temp.File("sampler.onnx");

        CliProcess.Run("export", "--model", _models.Detector, "--output", onnx, "--direction", "sample").AssertSuccess();

        using var session = OnnxRun.Open(onnx);
        Assert.Equal("Sampler", session.ModelMetadata.CustomMetadataMap["mlnetflows.kind"]);
        Assert.Equal([GlowOnnxNames.Latent], session.InputMetadata.Keys);
    }

    [Fact]
    public void ExportFailuresAreOneClearLine()
    {
        using var temp = new TempDirectory();
        var notZip = temp.File("model.onnx");
        File.WriteAllText(notZip, "not a zip");
        var missing = temp.File("missing.zip");

        Assert.Equal($"mlnetflows: error: model file '{missing}' does not exist; train one with 'mlnetflows train glow|cinn|infogan --output {missing}'",
            CliProcess.Run("export", "--model", missing, "--output", temp.File("a.onnx")).AssertOneLineFailure());
        Assert.Contains($"model file '{notZip}' is not a valid zip archive", CliProcess.Run("export", "--model", notZip, "--output", temp.File("b.onnx")).AssertOneLineFailure());
        Assert.Contains("(an .onnx file is already exported)", CliProcess.Run("export", "--model", notZip, "--output", temp.File("b.onnx")).AssertOneLineFailure());
        Assert.Contains("'bogus'", CliProcess.Run("export", "--model", _models.Detector, "--direction", "bogus").AssertOneLineFailure());
        Assert.False(File.Exists(temp.File("a.onnx")));
    }

    [Fact]
    public void OnnxScoringFailuresAreOneClearLine()
    {
        using var temp = new TempDirectory();
        var sampler = temp.File("sampler.onnx");
        CliProcess.Run("export", "--model", _models.Detector, "--output", sampler, "--direction", "sample").AssertSuccess();
        string[] common = ["--data", "fashion-mnist-test", "--limit", "5", "--output", temp.File("s.csv")];

        Assert.Contains($"'{_models.Detector}' is not a loadable ONNX model", CliProcess.Run(["score", "--engine", "onnx", "--model", _models.Detector, .. common]).AssertOneLineFailure());
        Assert.Contains("is a Glow sampler (latent → image), not a density model or detector", CliProcess.Run(["score", "--engine", "onnx", "--model", sampler, .. common]).AssertOneLineFailure());
        Assert.Contains("does not exist; export one with 'mlnetflows export", CliProcess.Run(["score", "--engine", "onnx", "--model", temp.File("none.onnx"), .. common]).AssertOneLineFailure());
        Assert.Contains("'tensorflow'", CliProcess.Run(["score", "--engine", "tensorflow", .. common]).AssertOneLineFailure());
    }

    /// <summary>Two tiny detectors saved as model zips (BitsPerDim and ComplexityCorrected scores).</summary>
    public sealed class SavedDetectors : IDisposable
    {
        private readonly TempDirectory _directory = new();

        public SavedDetectors()
        {
            Detector = Save(TinyGlows.Detector(), "detector.zip");
            ComplexityCorrected = Save(TinyGlows.Detector(AnomalyScoreKind.ComplexityCorrected), "complexity.zip");
        }

        public string Detector { get; }

        public string ComplexityCorrected { get; }

        public void Dispose() => _directory.Dispose();

        private string Save(GlowAnomalyTransformer detector, string name)
        {
            using (detector)
            {
                var path = _directory.File(name);
                new MLContext(0).Model.Save(detector, null, path);
                return path;
            }
        }
    }
}
