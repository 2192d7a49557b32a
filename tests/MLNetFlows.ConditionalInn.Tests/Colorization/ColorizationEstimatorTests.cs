using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.ConditionalInn.Tests.Colorization;

public sealed class ColorizationEstimatorTests
{
    private const string ExpectedCondition = "Vector<Single, 1, 8, 8> or Vector<Single, 64> (the condition image: planar values in [0, 255] of 1×8×8 images, e.g. the gray image from ExtractPixels)";

    private static MLContext FreshContext()
    {
        var fresh = new MLContext();
        fresh.ComponentCatalog.RegisterMLNetFlows();
        return fresh;
    }

    [Fact]
    public void PassesTheEstimatorContract()
    {
        var ml = new MLContext(seed: 1);
        var features = Enumerable.Range(0, 4).Select(_ => Enumerable.Repeat(YCbCrColor.NeutralChroma, 128).ToArray()).ToArray();
        using var transformer = EstimatorContract.Check(ml, ml.Transforms.ImageConditionalInn(ColorizationRows.Options()), ColorizationRows.View(ml, 16), FreshContext,
            new BadInput(ml.Data.LoadFromEnumerable(features.Select(f => new ColorizationRows.IntConditionRow { Features = f })), "Condition", ExpectedCondition, "Int32"),
            new BadInput(ml.Data.LoadFromEnumerable(features.Select(f => new ColorizationRows.WideConditionRow { Features = f })), "Condition", ExpectedCondition, "Vector<Single, 2, 8, 8>", DetectableFromShape: false),
            new BadInput(ml.Data.LoadFromEnumerable(features.Select(f => new ColorizationRows.NoConditionRow { Features = f })), "Condition", ExpectedCondition, null));
        Assert.True(transformer.IsColorization);
        Assert.Equal((2, 8, 8), transformer.ImageShape);
    }

    [Fact]
    public void BadConditionColumnsAreRefusedWithExactMessages()
    {
        var ml = new MLContext(seed: 1);
        var estimator = ml.Transforms.ImageConditionalInn(ColorizationRows.Options());
        var wrongType = Assert.Throws<SchemaMismatchException>(() => estimator.Fit(ml.Data.LoadFromEnumerable([new ColorizationRows.IntConditionRow()])));
        Assert.Equal($"Schema mismatch for input column 'Condition': expected {ExpectedCondition}, got Int32. (Parameter 'inputSchema')", wrongType.Message);
        var wrongLength = Assert.Throws<SchemaMismatchException>(() => estimator.Fit(ml.Data.LoadFromEnumerable([new ColorizationRows.WideConditionRow()])));
        Assert.Equal($"Schema mismatch for input column 'Condition': expected {ExpectedCondition}, got Vector<Single, 2, 8, 8>. (Parameter 'inputSchema')", wrongLength.Message);

        using var transformer = estimator.Fit(ColorizationRows.View(ml, 8));
        var bright = ColorizationRows.Load(2);
        bright[1].Condition[5] = 300;
        var outOfRange = Assert.Throws<InvalidDataException>(() => transformer.Transform(ml.Data.LoadFromEnumerable(bright)).GetColumn<VBuffer<float>>(ImageConditionalInnColumns.Sample).ToArray());
        Assert.Equal("column 'Condition' holds the value 300; Glow expects pixel values in [0, 255] (ExtractPixels with offsetImage 0 and scaleImage 1)", outOfRange.Message);
        var shortImage = Assert.Throws<ArgumentException>(() => transformer.Colorize([new float[64], new float[10]]));
        Assert.Equal("condition image 1 must hold 64 values (1×8×8) in [0, 255], got 10 values from 0 to 0 (Parameter 'conditions')", shortImage.Message);

        var classOptions = ColorizationRows.Options();
        classOptions.Condition = MLNetFlows.Models.Cinn.ConditionKind.Class;
        var wrongKind = Assert.Throws<ArgumentException>(() => ml.Transforms.ImageConditionalInn(classOptions));
        Assert.Equal("the image-conditioned INN needs Condition = Image, got Class; use mlContext.Transforms.ConditionalInn for class conditions", wrongKind.Message);
        var imageToClass = Assert.Throws<ArgumentException>(() => ml.Transforms.ConditionalInn(ColorizationRows.Options()));
        Assert.Equal("the class-conditional INN needs Condition = Class, got Image; use mlContext.Transforms.ImageConditionalInn for image conditions", imageToClass.Message);
    }

    [Fact]
    public void SavedAndLoadedModelsScoreAndColorizeIdentically()
    {
        var ml = new MLContext(seed: 1);
        var data = ColorizationRows.View(ml, 16);
        using var transformer = ml.Transforms.ImageConditionalInn(ColorizationRows.Options()).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, stream);
        stream.Position = 0;
        using var loaded = (ImageConditionalInnTransformer)FreshContext().Model.Load(stream, out _);
        DataViewComparer.AssertEqual(transformer.Transform(data), loaded.Transform(data), "save → load → Transform");
        Assert.Equal(transformer.Sampling, loaded.Sampling);
        var gray = ColorizationRows.Load(3).Select(r => r.Condition).ToArray();
        var a = transformer.Colorize(gray, temperature: 0.8, seed: 4).Pixels;
        var b = loaded.Colorize(gray, temperature: 0.8, seed: 4).Pixels;
        Assert.Equal(a, b);
        using var scope = NewDisposeScope();
        var saved = loaded.Model.state_dict();
        Assert.All(transformer.Model.state_dict(), p => Assert.True(p.Value.eq(saved[p.Key]).all().item<bool>(), $"weight '{p.Key}' must be identical after loading"));
    }

    [Fact]
    public void TheSampleFollowsTheConditionImageAndTheSeed()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = ml.Transforms.ImageConditionalInn(ColorizationRows.Options()).Fit(ColorizationRows.View(ml, 16));
        var gray = ColorizationRows.Load(2).Select(r => r.Condition).ToArray();
        var twice = transformer.Sample([gray[0], gray[0]], temperature: 0, seed: 1).Pixels;
        var other = transformer.Sample([gray[1]], temperature: 0, seed: 1).Pixels;
        Assert.Equal(twice[0], twice[1]);
        Assert.NotEqual(twice[0], other[0]); // at temperature 0 the sample is the decoded zero latent: only the condition differs
        Assert.Equal(twice[0], transformer.Sample([gray[0]], temperature: 0, seed: 99).Pixels[0]);
        var seeded = transformer.Sample([gray[0], gray[0]], temperature: 1, seed: 5).Pixels;
        Assert.NotEqual(seeded[0], seeded[1]);
        Assert.Equal(seeded, transformer.Sample([gray[0], gray[0]], temperature: 1, seed: 5).Pixels);
        Assert.NotEqual(seeded[0], transformer.Sample([gray[0]], temperature: 1, seed: 6).Pixels[0]);
    }

    [Fact]
    public void ColorizedRowsRecombineTheGrayImageWithTheSampledChroma()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = ml.Transforms.ImageConditionalInn(ColorizationRows.Options()).Fit(ColorizationRows.View(ml, 16));
        var grayOnly = ml.Data.LoadFromEnumerable(ColorizationRows.Load(4).Select(r => new ColorizationRows.GrayOnlyRow { Condition = r.Condition }));
        var scored = transformer.Transform(grayOnly);
        Assert.Null(scored.Schema.GetColumnOrNull(ImageConditionalInnColumns.BitsPerDim));
        var samples = scored.GetColumn<VBuffer<float>>(ImageConditionalInnColumns.Sample).Select(v => v.DenseValues().ToArray()).ToArray();
        var colour = scored.GetColumn<VBuffer<float>>(ImageConditionalInnColumns.Colorized).Select(v => v.DenseValues().ToArray()).ToArray();
        var gray = grayOnly.GetColumn<float[]>("Condition").ToArray();
        for (var i = 0; i < 4; i++)
        {
            var expected = new float[192];
            YCbCrColor.ToRgb(gray[i], samples[i], expected);
            Assert.Equal(expected, colour[i]);
        }
    }

    [Fact]
    public void BitsPerDimGivenTheConditionAreFiniteAndFallWithTraining()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = ml.Transforms.ImageConditionalInn(ColorizationRows.Options(epochs: 3)).Fit(ColorizationRows.View(ml, 64));
        var rows = ColorizationRows.Load(64);
        var right = transformer.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>(ImageConditionalInnColumns.BitsPerDim).ToArray();
        Assert.All(right, b => Assert.True(float.IsFinite(b) && b > 0, $"bits/dim {b} must be positive and finite"));
        var dequantized = transformer.EvaluateBitsPerDim(ml.Data.LoadFromEnumerable(rows), seed: 3);
        Assert.True(double.IsFinite(dequantized) && dequantized > right.Average() - 0.5, $"dequantised bits/dim {dequantized} against bin-centre {right.Average()}");
        var history = transformer.TrainingHistory;
        Assert.True(history[^1].TrainBitsPerDim < history[0].TrainBitsPerDim, $"training bits/dim must fall: {string.Join(", ", history.Select(h => h.TrainBitsPerDim))}");
        Assert.True(dequantized < history[0].TrainBitsPerDim, $"the trained model must score its data ({dequantized:F3}) better than the first epoch did ({history[0].TrainBitsPerDim:F3})");
    }

    [Fact]
    public void FittingScoringAndColorizingLeakNoTensors()
    {
        var ml = new MLContext(seed: 1);
        var data = ColorizationRows.View(ml, 16);
        using var leaks = new LeakCheck();
        using var transformer = ml.Transforms.ImageConditionalInn(ColorizationRows.Options()).Fit(data);
        var scored = transformer.Transform(data);
        _ = scored.GetColumn<float>(ImageConditionalInnColumns.BitsPerDim).ToArray();
        _ = scored.GetColumn<VBuffer<float>>(ImageConditionalInnColumns.Colorized).ToArray();
        _ = transformer.Colorize(ColorizationRows.Load(2).Select(r => r.Condition).ToArray(), seed: 3);
        _ = transformer.EvaluateBitsPerDim(data, seed: 2);
        transformer.Dispose();
    }
}
