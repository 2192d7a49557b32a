using MLNetFlows.OnnxScoring;
using Xunit.Abstractions;
using Microsoft.ML;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Onnx.Graph;
using Onnx;
using static TorchSharp.torch;

namespace MLNetFlows.Onnx.Tests;

/// <summary>The class-conditional INN's exported density and sampler against TorchSharp, and what the files declare.</summary>
public sealed class ConditionalInnOnnxTests : IClassFixture<ConditionalInnOnnxTests.Models>
{
    private const int Images = 256;
    private readonly Models _models;
    private readonly ITestOutputHelper _output;

    public ConditionalInnOnnxTests(Models models, ITestOutputHelper output)
    {
        _models = models;
        _output = output;
    }

    [Theory]
    [InlineData(TinyConditionalModels.CinnVariant.HaarOneHot)]
    [InlineData(TinyConditionalModels.CinnVariant.SqueezeEmbeddingPaddedFiveBits)]
    [InlineData(TinyConditionalModels.CinnVariant.HaarOneHotClassPrior)]
    public void DensityMatchesTorchSharp(TinyConditionalModels.CinnVariant variant)
    {
        using var temp = new TempDirectory();
        var model = _models[variant];
        var path = temp.File("cinn.onnx");
        using (new LeakCheck())
        {
            ConditionalInnOnnxExporter.Export(model, path);
        }

        var ml = new MLContext(0);
        var images = TinyGlows.TestImages(ml, Images);
        var torch = model.Transform(images);
        var labels = OnnxInputs.Classes(images, "Label");
        var inputs = new Dictionary<string, (float[], long[])>
        {
            ["Features"] = (ScoredColumns.Floats(images, "Features"), [Images, 1, 28, 28]),
            [ConditionalInnOnnxNames.Condition] = (OnnxInputs.OneHot(labels, 10), [Images, 10]),
        };
        var onnx = OnnxInputs.RunFloats(path, inputs, ConditionalInnOnnxNames.LogLikelihood, ConditionalInnOnnxNames.BitsPerDim, ConditionalInnOnnxNames.Score, ConditionalInnOnnxNames.ClassLogLikelihood);
        var predicted = OnnxInputs.RunInt64(path, inputs, ConditionalInnOnnxNames.PredictedLabel);

        var expected = ScoredColumns.Floats(torch, ConditionalInnColumns.LogLikelihood);
        Assert.True(expected.Distinct().Count() > Images / 2, "the model must tell the images apart for the comparison to mean anything");
        var logLikelihoodDifference = ScoredColumns.MaxDifference(expected, onnx[ConditionalInnOnnxNames.LogLikelihood]);
        Assert.InRange(logLikelihoodDifference, 0, 1e-3);
        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, ConditionalInnColumns.BitsPerDim), onnx[ConditionalInnOnnxNames.BitsPerDim]), 0, 1e-5);
        // A posterior moves by at most about the largest difference of the log-likelihoods it normalises.
        var scoreDifference = ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, ConditionalInnColumns.Score), onnx[ConditionalInnOnnxNames.Score]);
        Assert.InRange(scoreDifference, 0, 1e-3);
        var expectedClasses = OnnxInputs.Classes(torch, ConditionalInnColumns.PredictedLabel);
        Assert.Equal(expectedClasses, predicted.Select(p => (int)p));
        Assert.True(expectedClasses.Distinct().Count() > 1, "the classifier must predict more than one class for the comparison to mean anything");

        // Every class's log-likelihood: the row's own class is the LogLikelihood column.
        var perClass = onnx[ConditionalInnOnnxNames.ClassLogLikelihood];
        Assert.Equal(onnx[ConditionalInnOnnxNames.LogLikelihood], labels.Select((c, i) => perClass[(i * 10) + c]));
        _output.WriteLine($"{variant}: max |Δ log p| {logLikelihoodDifference:E2} nats, max |Δ posterior| {scoreDifference:E2} over {Images} images");
    }

    [Fact]
    public void ApplyOnnxModelScoresTheDensityFromTheLabelKeyAsAVector()
    {
        using var temp = new TempDirectory();
        var model = _models[TinyConditionalModels.CinnVariant.HaarOneHot];
        var path = temp.File("cinn.onnx");
        ConditionalInnOnnxExporter.Export(model, path);
        var ml = new MLContext(0);
        var images = TinyGlows.TestImages(ml, 64);

        // The condition input is what ML.NET's MapKeyToVector of the label key gives: Vector<Single, K>, slot k for class k.
        var pipeline = ml.Transforms.Conversion.MapKeyToVector(ConditionalInnOnnxNames.Condition, "Label")
            .Append(ml.Transforms.ApplyOnnxModel([ConditionalInnOnnxNames.LogLikelihood, ConditionalInnOnnxNames.Score], ["Features", ConditionalInnOnnxNames.Condition], path));
        var scored = pipeline.Fit(images).Transform(images);
        var torch = model.Transform(images);

        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, ConditionalInnColumns.LogLikelihood), ScoredColumns.Floats(scored, ConditionalInnOnnxNames.LogLikelihood)), 0, 1e-3);
        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, ConditionalInnColumns.Score), ScoredColumns.Floats(scored, ConditionalInnOnnxNames.Score)), 0, 1e-3);
    }

    [Theory]
    [InlineData(TinyConditionalModels.CinnVariant.HaarOneHot)]
    [InlineData(TinyConditionalModels.CinnVariant.SqueezeEmbeddingPaddedFiveBits)]
    [InlineData(TinyConditionalModels.CinnVariant.HaarOneHotClassPrior)]
    public void SamplerMatchesTorchSharpDecode(TinyConditionalModels.CinnVariant variant)
    {
        using var temp = new TempDirectory();
        var model = _models[variant];
        var path = temp.File("cinn-sampler.onnx");
        ConditionalInnOnnxExporter.Export(model, path, ConditionalInnOnnxDirection.Sample);

        const int count = 40;
        var dimensions = model.Architecture.Dimensions;
        var classes = Enumerable.Range(0, count).Select(i => i % 10).ToArray();
        float[] latents, expectedImage, expectedPixels;
        using (var scope = NewDisposeScope())
        {
            var z = randn([count, dimensions], generator: new Generator(17)) * 0.8;
            latents = z.data<float>().ToArray();
            using var inference = inference_mode();
            var labels = tensor(classes.Select(c => (long)c).ToArray());
            var decoded = model.Model.Decode(model.Model.FromStandardLatent(z, labels), labels);
            expectedImage = decoded.narrow(2, 0, 28).narrow(3, 0, 28).contiguous().data<float>().ToArray();
            expectedPixels = GlowInput.ToPixels(decoded, model.NumberOfBits, 28, 28).data<float>().ToArray();
        }

        var onnx = OnnxInputs.RunFloats(path, new Dictionary<string, (float[], long[])>
        {
            [ConditionalInnOnnxNames.Latent] = (latents, [count, dimensions]),
            [ConditionalInnOnnxNames.Condition] = (OnnxInputs.OneHot(classes, 10), [count, 10]),
        }, ConditionalInnOnnxNames.Image, ConditionalInnOnnxNames.Pixels);

        var imageDifference = ScoredColumns.MaxDifference(expectedImage, onnx[ConditionalInnOnnxNames.Image]);
        Assert.InRange(imageDifference, 0, 1e-4);
        _output.WriteLine($"{variant}: max |Δ image| {imageDifference:E2}");
        Assert.True(expectedImage.Max() - expectedImage.Min() > 0.5, "the decoded images must vary for the comparison to mean anything");
        var differentPixels = expectedPixels.Zip(onnx[ConditionalInnOnnxNames.Pixels]).Count(p => p.First != p.Second);
        Assert.InRange(differentPixels, 0, expectedPixels.Length / 10_000); // a value within 1e-6 of a bin edge may round the other way
    }

    [Fact]
    public void FilesDeclareOpsetNamesShapesAndLoadWithOptimisationsOn()
    {
        using var temp = new TempDirectory();
        var model = _models[TinyConditionalModels.CinnVariant.SqueezeEmbeddingPaddedFiveBits];
        var density = temp.File("density.onnx");
        var sampler = temp.File("sampler.onnx");
        ConditionalInnOnnxExporter.Export(model, density);
        ConditionalInnOnnxExporter.Export(model, sampler, ConditionalInnOnnxDirection.Sample);

        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(density));
        Assert.Equal(OnnxOpset.Version, Assert.Single(proto.OpsetImport).Version);
        Assert.Equal(OnnxOpset.IrVersion, proto.IrVersion);
        Assert.Equal(["Features:N,1,28,28", "Condition:N,10"], proto.Graph.Input.Select(Describe));
        Assert.Equal(["ClassLogLikelihood:N,10", "LogLikelihood:N", "BitsPerDim:N", "Score:N,10", "PredictedLabel:N"], proto.Graph.Output.Select(Describe));
        Assert.Equal((int)TensorProto.Types.DataType.Int64, proto.Graph.Output.Single(o => o.Name == "PredictedLabel").Type.TensorType.ElemType);

        var samplerProto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(sampler));
        Assert.Equal(["Latent:N,1024", "Condition:N,10"], samplerProto.Graph.Input.Select(Describe));
        Assert.Equal(["Image:N,1,28,28", "Pixels:N,1,28,28"], samplerProto.Graph.Output.Select(Describe));

        using var session = OnnxRun.Open(density);
        Assert.Equal("ConditionalInnDensity", session.ModelMetadata.CustomMetadataMap["mlnetflows.kind"]);
        Assert.Equal("5", session.ModelMetadata.CustomMetadataMap["mlnetflows.bits"]);
        Assert.Equal([-1, 10], session.OutputMetadata["Score"].Dimensions);
        using var samplerSession = OnnxRun.Open(sampler);
        Assert.Equal("ConditionalInnSampler", samplerSession.ModelMetadata.CustomMetadataMap["mlnetflows.kind"]);
        Assert.Equal([-1, 1024], samplerSession.InputMetadata["Latent"].Dimensions);

        using var stream = new MemoryStream();
        ConditionalInnOnnxExporter.Export(model, stream);
        Assert.Equal(File.ReadAllBytes(density), stream.ToArray());
    }

    private static string Describe(ValueInfoProto value) =>
        $"{value.Name}:{string.Join(",", value.Type.TensorType.Shape.Dim.Select(d => d.DimParam is { Length: > 0 } p ? p : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)))}";

    /// <summary>The two tiny conditional INNs, trained once for the class.</summary>
    public sealed class Models : IDisposable
    {
        private readonly Dictionary<TinyConditionalModels.CinnVariant, ConditionalInnTransformer> _models = [];

        public ConditionalInnTransformer this[TinyConditionalModels.CinnVariant variant]
        {
            get
            {
                if (!_models.TryGetValue(variant, out var model))
                {
                    model = TinyConditionalModels.Cinn(variant);
                    _models[variant] = model;
                }

                return model;
            }
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
