using Xunit.Abstractions;
using Microsoft.ML;
using MLNetFlows.Estimators.InfoGan;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Onnx.Graph;
using Onnx;
using static TorchSharp.torch;

namespace MLNetFlows.Onnx.Tests;

/// <summary>InfoGAN's exported generator and code-inference network against TorchSharp, and what the files declare.</summary>
public sealed class InfoGanOnnxTests : IClassFixture<InfoGanOnnxTests.Models>
{
    private readonly Models _models;
    private readonly ITestOutputHelper _output;

    public InfoGanOnnxTests(Models models, ITestOutputHelper output)
    {
        _models = models;
        _output = output;
    }

    public static TheoryData<int[]> CategoryCounts => new() { new[] { 10 }, new[] { 3, 4 } };

    [Theory]
    [MemberData(nameof(CategoryCounts))]
    public void GeneratorMatchesTorchSharp(int[] categoryCounts)
    {
        using var temp = new TempDirectory();
        var model = _models.Get(categoryCounts);
        var a = model.Architecture;
        var path = temp.File("generator.onnx");
        using (new LeakCheck())
        {
            InfoGanOnnxExporter.Export(model, path, InfoGanOnnxNetwork.Generator);
        }

        const int count = 48;
        float[] noise, categories, continuous, expected;
        using (var scope = NewDisposeScope())
        {
            var generator = new Generator(23);
            var z = (rand([count, a.NoiseSize], generator: generator) * 2) - 1;
            var classes = stack(a.CategoryCounts.Select(k => randint(k, [count], ScalarType.Int64, generator: generator)).ToArray(), 1);
            var c = (rand([count, a.ContinuousCodes], generator: generator) * 2) - 1;
            var latent = InfoGanLatent.Compose(a, z, new InfoGanCodes(classes, c));
            noise = z.data<float>().ToArray();
            categories = latent.narrow(1, a.NoiseSize, a.CategoryUnits).contiguous().data<float>().ToArray();
            continuous = c.data<float>().ToArray();
            using var inference = inference_mode();
            expected = model.Model.Generate(latent).contiguous().data<float>().ToArray();
        }

        var onnx = OnnxInputs.RunFloats(path, new Dictionary<string, (float[], long[])>
        {
            [InfoGanOnnxNames.Noise] = (noise, [count, a.NoiseSize]),
            [InfoGanOnnxNames.Categories] = (categories, [count, a.CategoryUnits]),
            [InfoGanOnnxNames.Continuous] = (continuous, [count, a.ContinuousCodes]),
        }, InfoGanOnnxNames.Image, InfoGanOnnxNames.Pixels);

        Assert.True(expected.Max() - expected.Min() > 0.1, "the generated images must vary for the comparison to mean anything");
        var imageDifference = ScoredColumns.MaxDifference(expected, onnx[InfoGanOnnxNames.Image]);
        Assert.InRange(imageDifference, 0, 1e-4);
        _output.WriteLine($"codes [{string.Join(", ", categoryCounts)}]: max |Δ image| {imageDifference:E2}");
        Assert.InRange(ScoredColumns.MaxDifference(expected.Select(v => v * 255).ToArray(), onnx[InfoGanOnnxNames.Pixels]), 0, 255e-4);
    }

    [Theory]
    [MemberData(nameof(CategoryCounts))]
    public void RecognitionMatchesTheTransformer(int[] categoryCounts)
    {
        using var temp = new TempDirectory();
        var model = _models.Get(categoryCounts);
        var path = temp.File("recognition.onnx");
        InfoGanOnnxExporter.Export(model, path, InfoGanOnnxNetwork.Recognition);

        const int images = 200;
        var ml = new MLContext(0);
        var data = TinyGlows.TestImages(ml, images);
        var torch = model.Transform(data);
        var inputs = new Dictionary<string, (float[], long[])> { ["Features"] = (ScoredColumns.Floats(data, "Features"), [images, 1, 28, 28]) };
        for (var code = 0; code < categoryCounts.Length; code++)
        {
            var name = InfoGanColumns.CategoryOf(code);
            var probabilities = OnnxInputs.RunFloats(path, inputs, name + InfoGanColumns.ProbabilitiesSuffix)[name + InfoGanColumns.ProbabilitiesSuffix];
            var expected = ScoredColumns.Floats(torch, name + InfoGanColumns.ProbabilitiesSuffix);
            Assert.InRange(ScoredColumns.MaxDifference(expected, probabilities), 0, 1e-5);
            Assert.True(expected.Distinct().Count() > images, "the probabilities must vary for the comparison to mean anything");
            Assert.Equal(OnnxInputs.Classes(torch, name), OnnxInputs.RunInt64(path, inputs, name).Select(c => (int)c));
        }

        var continuous = OnnxInputs.RunFloats(path, inputs, InfoGanColumns.Continuous)[InfoGanColumns.Continuous];
        var continuousDifference = ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, InfoGanColumns.Continuous), continuous);
        Assert.InRange(continuousDifference, 0, 1e-4);
        _output.WriteLine($"codes [{string.Join(", ", categoryCounts)}]: max |Δ continuous mean| {continuousDifference:E2}");
    }

    [Fact]
    public void FilesDeclareOpsetNamesShapesAndFoldBatchNormalisation()
    {
        using var temp = new TempDirectory();
        var model = _models.Get([3, 4]);
        var generator = temp.File("generator.onnx");
        var recognition = temp.File("recognition.onnx");
        InfoGanOnnxExporter.Export(model, generator, InfoGanOnnxNetwork.Generator);
        InfoGanOnnxExporter.Export(model, recognition, InfoGanOnnxNetwork.Recognition);

        var g = ModelProto.Parser.ParseFrom(File.ReadAllBytes(generator));
        Assert.Equal(OnnxOpset.Version, Assert.Single(g.OpsetImport).Version);
        Assert.Equal(OnnxOpset.IrVersion, g.IrVersion);
        Assert.Equal(["Noise:N,8", "Categories:N,7", "Continuous:N,2"], g.Graph.Input.Select(Describe));
        Assert.Equal(["Image:N,1,28,28", "Pixels:N,1,28,28"], g.Graph.Output.Select(Describe));
        Assert.DoesNotContain(g.Graph.Node, n => n.OpType == "BatchNormalization");

        var q = ModelProto.Parser.ParseFrom(File.ReadAllBytes(recognition));
        Assert.Equal(["Features:N,1,28,28"], q.Graph.Input.Select(Describe));
        Assert.Equal(["Category:N", "CategoryProbabilities:N,3", "Category1:N", "Category1Probabilities:N,4", "Continuous:N,2"], q.Graph.Output.Select(Describe));
        Assert.Equal((int)TensorProto.Types.DataType.Int64, q.Graph.Output[0].Type.TensorType.ElemType);

        using var session = OnnxRun.Open(recognition);
        Assert.Equal("InfoGanRecognition", session.ModelMetadata.CustomMetadataMap["mlnetflows.kind"]);
        Assert.Equal("3,4", session.ModelMetadata.CustomMetadataMap["mlnetflows.categoryCounts"]);
        using var generatorSession = OnnxRun.Open(generator);
        Assert.Equal("InfoGanGenerator", generatorSession.ModelMetadata.CustomMetadataMap["mlnetflows.kind"]);
    }

    private static string Describe(ValueInfoProto value) =>
        $"{value.Name}:{string.Join(",", value.Type.TensorType.Shape.Dim.Select(d => d.DimParam is { Length: > 0 } p ? p : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)))}";

    /// <summary>The tiny InfoGANs, trained once for the class.</summary>
    public sealed class Models : IDisposable
    {
        private readonly Dictionary<string, InfoGanTransformer> _models = [];

        public InfoGanTransformer Get(int[] categoryCounts)
        {
            var key = string.Join(",", categoryCounts);
            if (!_models.TryGetValue(key, out var model))
            {
                model = TinyConditionalModels.InfoGan(categoryCounts);
                _models[key] = model;
            }

            return model;
        }

        public void Dispose()
        {
            foreach (var model in _models.Values)
            {
                model.Dispose();
            }
        }
    }
}
