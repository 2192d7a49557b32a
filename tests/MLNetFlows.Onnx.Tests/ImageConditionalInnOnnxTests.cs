using Microsoft.ML;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Onnx.Graph;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;
using Onnx;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Variant = MLNetFlows.Onnx.Tests.TinyConditionalModels.ColorizationVariant;

namespace MLNetFlows.Onnx.Tests;

/// <summary>The colorization INN's exported density and sampler (conditioning network included) against TorchSharp, and what the files declare.</summary>
public sealed class ImageConditionalInnOnnxTests : IClassFixture<ImageConditionalInnOnnxTests.Models>
{
    private const int Images = 96;
    private readonly Models _models;
    private readonly ITestOutputHelper _output;

    public ImageConditionalInnOnnxTests(Models models, ITestOutputHelper output)
    {
        _models = models;
        _output = output;
    }

    [Theory]
    [InlineData(Variant.HaarSixteen)]
    [InlineData(Variant.SqueezePaddedFiveBits)]
    public void DensityMatchesTorchSharp(Variant variant)
    {
        using var temp = new TempDirectory();
        var model = _models[variant];
        var path = temp.File("colorization.onnx");
        using (new LeakCheck())
        {
            ImageConditionalInnOnnxExporter.Export(model, path);
        }

        var side = TinyConditionalModels.Side(variant);
        var patches = TinyConditionalModels.ColorizationTestPatches(new MLContext(0), variant, Images);
        var torch = model.Transform(patches);
        var onnx = OnnxInputs.RunFloats(path, new Dictionary<string, (float[], long[])>
        {
            ["Features"] = (ScoredColumns.Floats(patches, "Features"), [Images, 2, side, side]),
            ["Condition"] = (ScoredColumns.Floats(patches, "Condition"), [Images, 1, side, side]),
        }, ImageConditionalInnOnnxNames.LogLikelihood, ImageConditionalInnOnnxNames.BitsPerDim);

        var expected = ScoredColumns.Floats(torch, ImageConditionalInnColumns.LogLikelihood);
        Assert.True(expected.Distinct().Count() > Images / 2, "the model must tell the patches apart for the comparison to mean anything");
        var difference = ScoredColumns.MaxDifference(expected, onnx[ImageConditionalInnOnnxNames.LogLikelihood]);
        Assert.InRange(difference, 0, 1e-3);
        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, ImageConditionalInnColumns.BitsPerDim), onnx[ImageConditionalInnOnnxNames.BitsPerDim]), 0, 1e-5);
        _output.WriteLine($"{variant}: max |Δ log p| {difference:E2} nats over {Images} patches (log p from {expected.Min():F1} to {expected.Max():F1})");
    }

    [Fact]
    public void ApplyOnnxModelScoresTheDensityFromTheTransformersColumns()
    {
        using var temp = new TempDirectory();
        var model = _models[Variant.HaarSixteen];
        var path = temp.File("colorization.onnx");
        ImageConditionalInnOnnxExporter.Export(model, path);
        var ml = new MLContext(0);
        var patches = TinyConditionalModels.ColorizationTestPatches(ml, Variant.HaarSixteen, 32);

        var scored = ml.Transforms.ApplyOnnxModel([ImageConditionalInnOnnxNames.LogLikelihood, ImageConditionalInnOnnxNames.BitsPerDim], ["Features", "Condition"], path).Fit(patches).Transform(patches);
        var torch = model.Transform(patches);

        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, ImageConditionalInnColumns.LogLikelihood), ScoredColumns.Floats(scored, ImageConditionalInnOnnxNames.LogLikelihood)), 0, 1e-3);
        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, ImageConditionalInnColumns.BitsPerDim), ScoredColumns.Floats(scored, ImageConditionalInnOnnxNames.BitsPerDim)), 0, 1e-5);
    }

    [Theory]
    [InlineData(Variant.HaarSixteen)]
    [InlineData(Variant.SqueezePaddedFiveBits)]
    public void SamplerMatchesTorchSharpDecodeAndColorizesAsTheTransformer(Variant variant)
    {
        using var temp = new TempDirectory();
        var model = _models[variant];
        var path = temp.File("colorization-sampler.onnx");
        ImageConditionalInnOnnxExporter.Export(model, path, ConditionalInnOnnxDirection.Sample);

        const int count = 24;
        var side = TinyConditionalModels.Side(variant);
        var plane = side * side;
        var gray = ScoredColumns.Floats(TinyConditionalModels.ColorizationTestPatches(new MLContext(0), variant, count), "Condition");
        var dimensions = model.Architecture.Dimensions;
        float[] latents, expectedImage, expectedPixels;
        using (var scope = NewDisposeScope())
        {
            var z = randn([count, dimensions], generator: new Generator(17)) * 0.8;
            latents = z.data<float>().ToArray();
            using var inference = inference_mode();
            var condition = ImageConditionInput.Prepare(tensor(gray, [count, 1, side, side]), model.Architecture.Height, model.Architecture.Width);
            var decoded = model.Model.Decode(z, condition);
            expectedImage = decoded.narrow(2, 0, side).narrow(3, 0, side).contiguous().data<float>().ToArray();
            expectedPixels = GlowInput.ToPixels(decoded, model.NumberOfBits, side, side).data<float>().ToArray();
        }

        var onnx = OnnxInputs.RunFloats(path, new Dictionary<string, (float[], long[])>
        {
            [ImageConditionalInnOnnxNames.Latent] = (latents, [count, dimensions]),
            ["Condition"] = (gray, [count, 1, side, side]),
        }, ImageConditionalInnOnnxNames.Image, ImageConditionalInnOnnxNames.Sample, ImageConditionalInnOnnxNames.Colorized);

        var imageDifference = ScoredColumns.MaxDifference(expectedImage, onnx[ImageConditionalInnOnnxNames.Image]);
        Assert.InRange(imageDifference, 0, 1e-4);
        Assert.True(expectedImage.Max() - expectedImage.Min() > 0.2, "the decoded chroma must vary for the comparison to mean anything");
        var sample = onnx[ImageConditionalInnOnnxNames.Sample];
        var differentPixels = expectedPixels.Zip(sample).Count(p => p.First != p.Second);
        Assert.InRange(differentPixels, 0, Math.Max(1, expectedPixels.Length / 10_000)); // a value within 1e-6 of a bin edge may round the other way

        // Colorized is the transformer's recombination (YCbCrColor.ToRgb) of the gray image with the sampled chroma.
        var colorized = onnx[ImageConditionalInnOnnxNames.Colorized];
        var expectedRgb = new float[count * 3 * plane];
        for (var i = 0; i < count; i++)
        {
            YCbCrColor.ToRgb(gray.AsSpan(i * plane, plane), sample.AsSpan(i * 2 * plane, 2 * plane), expectedRgb.AsSpan(i * 3 * plane, 3 * plane));
        }

        Assert.InRange(ScoredColumns.MaxDifference(expectedRgb, colorized), 0, 1e-3);
        _output.WriteLine($"{variant}: max |Δ image| {imageDifference:E2}, {differentPixels} of {expectedPixels.Length} chroma values in another bin");
    }

    [Fact]
    public void FilesDeclareOpsetNamesShapesAndLoadWithOptimisationsOn()
    {
        using var temp = new TempDirectory();
        var model = _models[Variant.SqueezePaddedFiveBits];
        var density = temp.File("density.onnx");
        var sampler = temp.File("sampler.onnx");
        ImageConditionalInnOnnxExporter.Export(model, density);
        ImageConditionalInnOnnxExporter.Export(model, sampler, ConditionalInnOnnxDirection.Sample);

        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(density));
        Assert.Equal(OnnxOpset.Version, Assert.Single(proto.OpsetImport).Version);
        Assert.Equal(OnnxOpset.IrVersion, proto.IrVersion);
        Assert.Equal(["Features:N,2,14,14", "Condition:N,1,14,14"], proto.Graph.Input.Select(Describe));
        Assert.Equal(["LogLikelihood:N", "BitsPerDim:N"], proto.Graph.Output.Select(Describe));

        var samplerProto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(sampler));
        Assert.Equal(["Latent:N,512", "Condition:N,1,14,14"], samplerProto.Graph.Input.Select(Describe));
        Assert.Equal(["Image:N,2,14,14", "Sample:N,2,14,14", "Colorized:N,3,14,14"], samplerProto.Graph.Output.Select(Describe));

        using var session = OnnxRun.Open(density);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("ImageConditionalInnDensity", metadata["mlnetflows.kind"]);
        Assert.Equal(("5", "true", "Condition"), (metadata["mlnetflows.bits"], metadata["mlnetflows.colorization"], metadata["mlnetflows.conditionColumnName"]));
        Assert.Equal([-1, 1, 14, 14], session.InputMetadata["Condition"].Dimensions);
        using var samplerSession = OnnxRun.Open(sampler);
        Assert.Equal("ImageConditionalInnSampler", samplerSession.ModelMetadata.CustomMetadataMap["mlnetflows.kind"]);
        Assert.Equal([-1, 3, 14, 14], samplerSession.OutputMetadata["Colorized"].Dimensions);

        using var stream = new MemoryStream();
        ImageConditionalInnOnnxExporter.Export(model, stream);
        Assert.Equal(File.ReadAllBytes(density), stream.ToArray());
    }

    private static string Describe(ValueInfoProto value) =>
        $"{value.Name}:{string.Join(",", value.Type.TensorType.Shape.Dim.Select(d => d.DimParam is { Length: > 0 } p ? p : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)))}";

    /// <summary>The two tiny colorization INNs, trained once for the class.</summary>
    public sealed class Models : IDisposable
    {
        private readonly Dictionary<Variant, ImageConditionalInnTransformer> _models = [];

        public ImageConditionalInnTransformer this[Variant variant]
        {
            get
            {
                if (!_models.TryGetValue(variant, out var model))
                {
                    model = TinyConditionalModels.Colorization(variant);
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
