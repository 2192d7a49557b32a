using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.InfoGan;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>The ML.NET surface: contract, code columns, generation, persistence, refusals, native memory.</summary>
public sealed class InfoGanEstimatorTests
{
    internal static MLContext FreshContext()
    {
        var ml = new MLContext(seed: 1);
        ml.ComponentCatalog.RegisterMLNetFlows();
        return ml;
    }

    internal static InfoGanEstimator.Options Tiny(int epochs = 2)
    {
        var training = TinyTraining.Options();
        return new InfoGanEstimator.Options
        {
            Channels = training.Channels, ImageHeight = training.ImageHeight, ImageWidth = training.ImageWidth,
            NoiseSize = training.NoiseSize, CategoryCounts = training.CategoryCounts, ContinuousCodes = training.ContinuousCodes,
            HiddenUnits = training.HiddenUnits, ConvolutionChannels = training.ConvolutionChannels, RecognitionUnits = training.RecognitionUnits,
            BatchSize = training.BatchSize, NumberOfEpochs = epochs, Seed = training.Seed, InferenceBatchSize = 32,
            WeightInitialization = training.WeightInitialization,
        };
    }

    [Fact]
    public void SatisfiesTheEstimatorContract()
    {
        var ml = new MLContext(1);
        var data = ShapeRows.View(ml, 48);
        var expected = InfoGanColumns.ExpectedFeatures(1, 8, 8);

        using var transformer = EstimatorContract.Check(ml, ml.Transforms.InfoGan(Tiny()), data, FreshContext,
            new BadInput(ml.Data.LoadFromEnumerable(new[] { new { Other = 1f } }), "Features", expected, null),
            new BadInput(ml.Data.LoadFromEnumerable(new[] { new ShapeRows.DoubleRow { Features = new double[64] } }), "Features", expected, "Double"),
            new BadInput(ml.Data.LoadFromEnumerable(new[] { new ShapeRows.WideRow() }), "Features", expected, "Vector<Single, 65>", DetectableFromShape: false));

        Assert.Equal(2, transformer.TrainingHistory.Count);
    }

    [Fact]
    public void TransformAddsTheCategoryKeyItsProbabilitiesAndTheContinuousCodesWithoutLeaking()
    {
        using var leaks = new LeakCheck();
        var ml = new MLContext(1);
        var data = ShapeRows.View(ml, 48);
        using var transformer = ml.Transforms.InfoGan(Tiny()).Fit(data);

        var scored = transformer.Transform(data);
        var categories = scored.GetColumn<uint>(InfoGanColumns.Category).ToArray();
        var probabilities = scored.GetColumn<VBuffer<float>>(InfoGanColumns.Category + InfoGanColumns.ProbabilitiesSuffix).Select(v => v.DenseValues().ToArray()).ToArray();
        var continuous = scored.GetColumn<VBuffer<float>>(InfoGanColumns.Continuous).Select(v => v.DenseValues().ToArray()).ToArray();

        Assert.Equal(new KeyDataViewType(typeof(uint), 3), scored.Schema[InfoGanColumns.Category].Type);
        Assert.Equal(48, categories.Length);
        Assert.All(categories, c => Assert.InRange(c, 1u, 3u));
        Assert.All(probabilities, p => Assert.Equal(1f, p.Sum(), 4));
        Assert.All(probabilities.Zip(categories), pair => Assert.Equal(pair.First.ToList().IndexOf(pair.First.Max()) + 1, (int)pair.Second));
        Assert.All(continuous, c => Assert.Equal(2, c.Length));
    }

    [Fact]
    public void SavedAndLoadedModelGeneratesIdenticalImagesForTheSameSeed()
    {
        using var leaks = new LeakCheck();
        using var directory = new TempDirectory();
        var ml = new MLContext(1);
        var data = ShapeRows.View(ml, 48);
        using var transformer = ml.Transforms.InfoGan(Tiny()).Fit(data);
        var path = directory.File("infogan.zip");
        ml.Model.Save(transformer, data.Schema, path);

        var loadedContext = FreshContext();
        using var loaded = (InfoGanTransformer)loadedContext.Model.Load(path, out _);
        var original = transformer.Generate(1, [0.5f, -1f], count: 4, seed: 3);
        var reloaded = loaded.Generate(1, [0.5f, -1f], count: 4, seed: 3);
        var otherSeed = loaded.Generate(1, [0.5f, -1f], count: 4, seed: 4);
        var grid = loaded.Traverse(code: 1, steps: 5, seed: 2);

        Assert.Equal(4, original.Pixels.Count);
        Assert.Equal(original.Pixels, reloaded.Pixels);
        Assert.NotEqual(original.Pixels, otherSeed.Pixels);
        Assert.All(original.Pixels, p => Assert.All(p, v => Assert.InRange(v, 0f, 255f)));
        Assert.Equal(3 * 5, grid.Pixels.Count);
        Assert.Equal(transformer.Traverse(code: 1, steps: 5, seed: 2).Pixels, grid.Pixels);
        Assert.Equal(transformer.Architecture, loaded.Architecture);
    }

    [Fact]
    public void BadRequestsAreRefusedWithTheProblemAndTheFix()
    {
        using var leaks = new LeakCheck();
        var ml = new MLContext(1);
        var data = ShapeRows.View(ml, 48);
        using var transformer = ml.Transforms.InfoGan(Tiny(epochs: 1)).Fit(data);
        var bright = ml.Data.LoadFromEnumerable(new[] { new ShapeRows.Row { Features = Enumerable.Repeat(300f, 64).ToArray() } });
        var options = Tiny();
        options.ImageWidth = 10;

        var category = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Generate(3, [0f, 0f]));
        var continuous = Assert.Throws<ArgumentException>(() => transformer.Generate(0, [0f]));
        var sweep = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Traverse(code: 2));
        var pixels = Assert.Throws<InvalidDataException>(() => transformer.Transform(bright).GetColumn<uint>(InfoGanColumns.Category).ToArray());
        var geometry = Assert.Throws<ArgumentException>(() => ml.Transforms.InfoGan(options));

        Assert.StartsWith("categorical code 0 has 3 classes: expected a class in 0 … 2", category.Message, StringComparison.Ordinal);
        Assert.Equal("expected 2 continuous code value(s), got 1 (Parameter 'continuous')", continuous.Message);
        Assert.StartsWith("the model has 2 continuous codes (0 … 1); choose one of them to sweep", sweep.Message, StringComparison.Ordinal);
        Assert.Equal("column 'Features' holds the value 300; InfoGAN expects pixel values in [0, 255] (ExtractPixels with offsetImage 0 and scaleImage 1)", pixels.Message);
        Assert.Equal("InfoGAN needs image height and width divisible by 4 (two stride-2 convolutions), got 8×10; resize or pad the images", geometry.Message);
    }
}
