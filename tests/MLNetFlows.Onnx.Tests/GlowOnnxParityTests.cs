using Microsoft.ML;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.OnnxScoring;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.Onnx.Tests;

/// <summary>ONNX Runtime against TorchSharp on 1 000 Fashion-MNIST test images, for every exported output.</summary>
public sealed class GlowOnnxParityTests
{
    private const int Images = 1000;

    [Theory]
    [InlineData(TinyGlows.Variant.Default)]
    [InlineData(TinyGlows.Variant.PaddedFiveBitsSoftClamp)]
    [InlineData(TinyGlows.Variant.Additive)]
    public void DensityMatchesTorchSharp(TinyGlows.Variant variant)
    {
        using var temp = new TempDirectory();
        var ml = new MLContext(0);
        using var model = TinyGlows.Density(variant);
        var path = temp.File("glow.onnx");
        using (var leaks = new LeakCheck())
        {
            GlowOnnxExporter.Export(model, path);
        }

        var images = TinyGlows.TestImages(ml, Images);
        var torch = model.Transform(images);
        using var onnx = ml.Transforms.ScoreGlowOnnx(path, batchSize: 128).Fit(images);
        var scored = onnx.Transform(images);

        var expected = ScoredColumns.Floats(torch, GlowColumns.LogLikelihood);
        var actual = ScoredColumns.Floats(scored, GlowOnnxNames.LogLikelihood);
        Assert.Equal(Images, actual.Length);
        Assert.True(expected.Distinct().Count() > Images / 2, "the model must tell the images apart for the comparison to mean anything");
        Assert.InRange(ScoredColumns.MaxDifference(expected, actual), 0, 1e-3);
        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, GlowColumns.BitsPerDim), ScoredColumns.Floats(scored, GlowOnnxNames.BitsPerDim)), 0, 1e-5);
        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, GlowColumns.LevelBitsPerDim), ScoredColumns.Floats(scored, GlowOnnxNames.LevelBitsPerDim)), 0, 1e-5);
        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, GlowColumns.Latent), ScoredColumns.Floats(scored, GlowOnnxNames.Latent)), 0, 1e-4);
    }

    [Theory]
    [InlineData(AnomalyScoreKind.BitsPerDim)]
    [InlineData(AnomalyScoreKind.ComplexityCorrected)]
    public void DetectorGivesTheSameScoresAndLabels(AnomalyScoreKind kind)
    {
        using var temp = new TempDirectory();
        var ml = new MLContext(0);
        using var detector = TinyGlows.Detector(kind);
        var path = temp.File("detector.onnx");
        GlowOnnxExporter.Export(detector, path);
        var images = TinyGlows.TestImages(ml, Images);

        var torch = detector.Transform(images);
        using var onnx = ml.Transforms.ScoreGlowOnnx(path).Fit(images);
        var scored = onnx.Transform(images);

        var expectedLabels = ScoredColumns.Booleans(torch, GlowColumns.PredictedLabel);
        Assert.Equal(expectedLabels, ScoredColumns.Booleans(scored, GlowOnnxNames.PredictedLabel));
        Assert.Contains(true, expectedLabels);
        Assert.Contains(false, expectedLabels);
        Assert.InRange(ScoredColumns.MaxDifference(ScoredColumns.Floats(torch, GlowColumns.Score), ScoredColumns.Floats(scored, GlowOnnxNames.Score)), 0, 1e-5);
        Assert.Equal(detector.Threshold, onnx.Description.Threshold);
        Assert.Equal(ScoredColumns.Floats(torch, GlowColumns.ComplexityBitsPerDim), ScoredColumns.Floats(scored, GlowOnnxNames.ComplexityBitsPerDim));
    }

    [Fact]
    public void ApplyOnnxModelScoresAComplexityCorrectedDetectorFromASuppliedComplexityColumn()
    {
        using var temp = new TempDirectory();
        var ml = new MLContext(0);
        using var detector = TinyGlows.Detector(AnomalyScoreKind.ComplexityCorrected);
        var path = temp.File("detector.onnx");
        GlowOnnxExporter.Export(detector, path);

        // The TorchSharp detector's output has Features and ComplexityBitsPerDim; ApplyOnnxModel's Score hides its Score.
        var torch = detector.Transform(TinyGlows.TestImages(ml, 200));
        var expected = ScoredColumns.Floats(torch, GlowColumns.Score);
        var expectedLabels = ScoredColumns.Booleans(torch, GlowColumns.PredictedLabel);
        using var perRow = ml.Transforms.ApplyOnnxModel([GlowOnnxNames.Score], [ImageDatasetColumns.Features, GlowOnnxNames.ComplexityBitsPerDim], path).Fit(torch);

        Assert.InRange(ScoredColumns.MaxDifference(expected, ScoredColumns.Floats(perRow.Transform(torch), GlowOnnxNames.Score)), 0, 1e-5);
        Assert.Equal(expectedLabels, expected.Select(s => s > detector.Threshold));
    }

    [Theory]
    [InlineData(TinyGlows.Variant.Default)]
    [InlineData(TinyGlows.Variant.PaddedFiveBitsSoftClamp)]
    public void SamplerMatchesTorchSharpForTheSameLatent(TinyGlows.Variant variant)
    {
        using var temp = new TempDirectory();
        using var model = TinyGlows.Density(variant);
        var path = temp.File("sampler.onnx");
        GlowOnnxExporter.Export(model, path, GlowOnnxDirection.Sample);
        var dimensions = (int)model.Architecture.Dimensions;
        const int count = 16;

        // Latents of the priors' scale (temperature 0.7 draws) and latents of real images.
        var ml = new MLContext(0);
        var pixels = ScoredColumns.Floats(TinyGlows.TestImages(ml, count / 2), "Features");
        var latents = new float[count * dimensions];
        for (var i = 0; i < count / 2; i++)
        {
            model.Encode(pixels.AsSpan(i * 784, 784)).CopyTo(latents, i * dimensions);
        }

        var random = new Random(5);
        for (var i = (count / 2) * dimensions; i < latents.Length; i++)
        {
            latents[i] = (float)(0.7 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        float[] expected;
        using (var scope = NewDisposeScope())
        using (var inference = inference_mode())
        {
            var all = tensor(latents, [count, dimensions]);
            var parts = new List<Tensor>();
            long offset = 0;
            foreach (var shape in model.Model.LatentShapes)
            {
                var size = shape[0] * shape[1] * shape[2];
                parts.Add(all.narrow(1, offset, size).reshape(count, shape[0], shape[1], shape[2]));
                offset += size;
            }

            expected = model.Model.Decode(parts).narrow(2, 0, 28).narrow(3, 0, 28).contiguous().data<float>().ToArray();
        }

        var (image, quantised) = OnnxRun.Sampler(path, latents, count, dimensions);
        Assert.InRange(ScoredColumns.MaxDifference(expected, image), 0, 1e-4);
        var decoded = model.Decode([.. Enumerable.Range(0, count).Select(i => latents.AsSpan(i * dimensions, dimensions).ToArray())]).Pixels.SelectMany(p => p).ToArray();
        var bins = 1 << model.NumberOfBits;
        for (var i = 0; i < decoded.Length; i++)
        {
            var position = (image[i] + 0.5) * bins;
            if (Math.Abs(position - Math.Round(position)) > 1e-3)
            {
                Assert.Equal(decoded[i], quantised[i], 3);
            }
        }
    }
}
