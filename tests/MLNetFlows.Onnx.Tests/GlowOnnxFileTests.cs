using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Onnx.Graph;
using MLNetFlows.OnnxScoring;
using Onnx;

namespace MLNetFlows.Onnx.Tests;

/// <summary>What the exported files declare, and the errors for files and inputs that do not fit.</summary>
public sealed class GlowOnnxFileTests : IClassFixture<GlowOnnxFileTests.Exported>
{
    private readonly Exported _files;

    public GlowOnnxFileTests(Exported files)
    {
        _files = files;
    }

    [Fact]
    public void DensityFileDeclaresOpsetNamesAndShapes()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(_files.Detector));

        Assert.Equal(17, OnnxOpset.Version);
        Assert.Equal(OnnxOpset.Version, Assert.Single(model.OpsetImport).Version);
        Assert.Equal(OnnxOpset.IrVersion, model.IrVersion);
        Assert.Equal(["Features:N,1,28,28"], model.Graph.Input.Select(Describe));
        Assert.Equal(["LogLikelihood:N", "BitsPerDim:N", "LevelBitsPerDim:N,2", "Score:N", "PredictedLabel:N"], model.Graph.Output.Select(Describe));
        Assert.Equal((int)TensorProto.Types.DataType.Bool, model.Graph.Output.Single(o => o.Name == "PredictedLabel").Type.TensorType.ElemType);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType is "MatMul" or "Inverse" or "Det");

        using var session = OnnxRun.Open(_files.Detector);
        Assert.Equal([-1, 1, 28, 28], session.InputMetadata["Features"].Dimensions);
        Assert.Equal([-1, 2], session.OutputMetadata["LevelBitsPerDim"].Dimensions);
        Assert.Equal("Anomaly", session.ModelMetadata.CustomMetadataMap["mlnetflows.kind"]);
        Assert.Equal("BitsPerDim", session.ModelMetadata.CustomMetadataMap["mlnetflows.scoreKind"]);
    }

    [Fact]
    public void SamplerFileDeclaresOpsetNamesAndShapes()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(_files.Sampler));

        Assert.Equal(OnnxOpset.Version, Assert.Single(model.OpsetImport).Version);
        Assert.Equal(["Latent:N,784"], model.Graph.Input.Select(Describe));
        Assert.Equal(["Image:N,1,28,28", "Pixels:N,1,28,28"], model.Graph.Output.Select(Describe));
    }

    [Fact]
    public void ExportIsDeterministic()
    {
        using var stream = new MemoryStream();
        GlowOnnxExporter.Export(_files.Model, stream);
        Assert.Equal(File.ReadAllBytes(_files.Detector), stream.ToArray());
    }

    [Fact]
    public void MalformedFilesGiveClearErrors()
    {
        var ml = new MLContext(0);
        using var temp = new TempDirectory();
        var garbage = temp.File("garbage.onnx");
        File.WriteAllBytes(garbage, [1, 2, 3, 250, 251, 252, 7, 7]);
        var truncated = temp.File("truncated.onnx");
        File.WriteAllBytes(truncated, File.ReadAllBytes(_files.Detector)[..4000]);

        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => ml.Transforms.ScoreGlowOnnx(temp.File("missing.onnx"))).Message);
        Assert.Contains("is not a loadable ONNX model", Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreGlowOnnx(garbage)).Message);
        Assert.Contains("is not a loadable ONNX model", Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreGlowOnnx(truncated)).Message);
        Assert.Contains("is a Glow sampler", Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreGlowOnnx(_files.Sampler)).Message);
    }

    [Fact]
    public void MismatchedFilesGiveClearErrors()
    {
        var ml = new MLContext(0);
        using var temp = new TempDirectory();
        var foreign = Rewrite(temp.File("foreign.onnx"), m => m.MetadataProps.Clear());
        var wrongChannels = Rewrite(temp.File("channels.onnx"), m => m.MetadataProps.Single(p => p.Key == "mlnetflows.channels").Value = "3");
        var missingOutput = Rewrite(temp.File("output.onnx"), m => m.Graph.Output.Remove(m.Graph.Output.Single(o => o.Name == "Score")));
        var newerFormat = Rewrite(temp.File("format.onnx"), m => m.MetadataProps.Single(p => p.Key == "mlnetflows.format").Value = "2");
        var wrongScore = Rewrite(temp.File("score.onnx"), m => m.MetadataProps.Single(p => p.Key == "mlnetflows.scoreKind").Value = "ComplexityCorrected");

        Assert.Contains("not a Glow model exported by MLNetFlows", Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreGlowOnnx(foreign)).Message);
        Assert.Contains("'Features' is Single[N, 1, 28, 28], expected Single[N, 3, 28, 28]", Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreGlowOnnx(wrongChannels)).Message);
        Assert.Contains("the output 'Score' is missing", Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreGlowOnnx(missingOutput)).Message);
        Assert.Contains("metadata format 2", Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreGlowOnnx(newerFormat)).Message);
        Assert.Contains("expected the input(s) 'Features', 'ComplexityBitsPerDim', found 'Features'", Assert.Throws<InvalidDataException>(() => ml.Transforms.ScoreGlowOnnx(wrongScore)).Message);
    }

    [Fact]
    public void BadInputsGiveClearErrors()
    {
        var ml = new MLContext(0);
        using var scorer = ml.Transforms.ScoreGlowOnnx(_files.Detector).Fit(TinyGlows.TestImages(ml, 4));
        var wrongSize = ml.Data.LoadFromEnumerable(new[] { new SmallRow { Features = new float[10] } });
        var outOfRange = ml.Data.LoadFromEnumerable(new[] { new FullRow { Features = Enumerable.Repeat(300f, 784).ToArray() } });

        Assert.Contains("column 'Features' is Vector<Single, 10>; expected Vector<Single, 1, 28, 28>", Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Transform(wrongSize)).Message);
        Assert.Contains("the input has no column 'Pixels'", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreGlowOnnx(_files.Detector, "Pixels").Fit(wrongSize)).Message);
        var scored = scorer.Transform(outOfRange);
        Assert.Contains("holds the value 300; Glow expects pixel values in [0, 255]", Assert.Throws<InvalidDataException>(() => ScoredColumns.Floats(scored, "Score")).Message);
    }

    [Fact]
    public void ComplexityCorrectedDetectorsTakeTheComplexityAsASecondInput()
    {
        using var detector = TinyGlows.Detector(AnomalyScoreKind.ComplexityCorrected);
        using var stream = new MemoryStream();
        GlowOnnxExporter.Export(detector, stream);

        var model = ModelProto.Parser.ParseFrom(stream.ToArray());

        Assert.Equal(["Features:N,1,28,28", "ComplexityBitsPerDim:N,1"], model.Graph.Input.Select(Describe));
        Assert.Equal(["LogLikelihood:N", "BitsPerDim:N", "LevelBitsPerDim:N,2", "Score:N", "PredictedLabel:N"], model.Graph.Output.Select(Describe));
        Assert.Equal("ComplexityCorrected", model.MetadataProps.Single(p => p.Key == "mlnetflows.scoreKind").Value);
    }

    [Fact]
    public void EstimatorReportsTheOutputShapeAndRejectsAMissingColumn()
    {
        var ml = new MLContext(0);
        var estimator = ml.Transforms.ScoreGlowOnnx(_files.Detector);
        var images = TinyGlows.TestImages(ml, 4);
        var shape = estimator.GetOutputSchema(SchemaComparer.ShapeOf(images.Schema));

        Assert.Equal(["LogLikelihood", "BitsPerDim", "LevelBitsPerDim", "ComplexityBitsPerDim", "Score", "PredictedLabel"], shape.Select(c => c.Name).Where(n => !images.Schema.Any(c => c.Name == n)));
        using var fitted = estimator.Fit(images);
        Assert.Equal(shape.Select(c => c.Name), fitted.GetOutputSchema(images.Schema).Select(c => c.Name));
        Assert.Equal(BooleanDataViewType.Instance, fitted.GetOutputSchema(images.Schema)["PredictedLabel"].Type);
    }

    private static string Describe(ValueInfoProto value) =>
        $"{value.Name}:{string.Join(",", value.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)))}";

    private string Rewrite(string path, Action<ModelProto> change)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(_files.Detector));
        change(model);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private sealed class SmallRow
    {
        [VectorType(10)]
        public float[] Features { get; set; } = [];
    }

    private sealed class FullRow
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>A detector and the density and sampler files exported from it, once for the class.</summary>
    public sealed class Exported : IDisposable
    {
        private readonly TempDirectory _directory = new();

        public Exported()
        {
            Model = TinyGlows.Detector();
            Detector = _directory.File("detector.onnx");
            Sampler = _directory.File("sampler.onnx");
            GlowOnnxExporter.Export(Model, Detector);
            GlowOnnxExporter.Export(Model, Sampler, GlowOnnxDirection.Sample);
        }

        public GlowAnomalyTransformer Model { get; }

        public string Detector { get; }

        public string Sampler { get; }

        public void Dispose()
        {
            Model.Dispose();
            _directory.Dispose();
        }
    }
}
