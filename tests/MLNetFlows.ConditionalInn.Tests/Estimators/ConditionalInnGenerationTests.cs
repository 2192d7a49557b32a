using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Trainers.Cinn;

namespace MLNetFlows.ConditionalInn.Tests.Estimators;

/// <summary>The generation direction as a transformer: a class and a seed per row → generated images.</summary>
public sealed class ConditionalInnGenerationTests
{
    private const string Output = ConditionalInnGenerationOptions.DefaultOutputColumnName;

    private static readonly ConditionRow[] Conditions =
    [
        new() { Label = 3, Seed = 7 },
        new() { Label = 3, Seed = 8 },
        new() { Label = 5, Seed = 7 },
        new() { Label = 0, Seed = -2 },
        new() { Label = 3, Seed = 7 },
    ];

    [Fact]
    public void PassesTheTransformerContract()
    {
        var ml = new MLContext(seed: 1);
        using var cinn = Train(ml);
        var generator = cinn.AsGenerator(new ConditionalInnGenerationOptions { BatchSize = 2, Temperature = 0.8, Seed = 4 });
        var valid = ml.Data.LoadFromEnumerable(Conditions);
        var estimator = new FixedTransformerEstimator<ConditionalInnGenerationTransformer>(generator, valid.Schema);
        _ = EstimatorContract.Check(ml, estimator, valid, FreshContext,
            new BadInput(ml.Data.LoadFromEnumerable(new[] { new { Label = 1 } }), "Seed", "Int32 (the seed of the row's images)", null, DetectableFromShape: false),
            new BadInput(ml.Data.LoadFromEnumerable(new[] { new { Label = 1, Seed = 1f } }), "Seed", "Int32 (the seed of the row's images)", "Single", DetectableFromShape: false),
            new BadInput(ml.Data.LoadFromEnumerable(new[] { new { Label = 1f, Seed = 1 } }), "Label", "Key<UInt32, 0-9> (one key per class) or Int32 (class indices 0 … 9)", "Single", DetectableFromShape: false));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), generator.GetOutputSchema(valid.Schema)[Output].Type);
    }

    [Fact]
    public void TheSameClassAndSeedGiveTheSameImagesWhateverTheBatchSize()
    {
        var ml = new MLContext(seed: 1);
        using var cinn = Train(ml);
        var data = ml.Data.LoadFromEnumerable(Conditions);
        var one = Images(cinn.AsGenerator(new ConditionalInnGenerationOptions { BatchSize = 1 }), data);
        var three = Images(cinn.AsGenerator(new ConditionalInnGenerationOptions { BatchSize = 3 }), data);
        var alone = Images(cinn.AsGenerator(), ml.Data.LoadFromEnumerable(Conditions[2..3]));
        var otherSeed = Images(cinn.AsGenerator(new ConditionalInnGenerationOptions { Seed = 1 }), data);

        Assert.Equal(one, three);
        Assert.Equal(one[2], alone[0]);
        Assert.Equal(one[0], one[4]);
        Assert.NotEqual(one[0], one[1]);
        Assert.NotEqual(one[0], one[2]);
        Assert.NotEqual(one[0], otherSeed[0]);
        Assert.All(one, image => Assert.All(image, p => Assert.InRange(p, 0f, 255f)));
    }

    [Fact]
    public void SeveralImagesPerRowAndTemperatureZeroGiveTheModeOfTheClass()
    {
        var ml = new MLContext(seed: 1);
        using var cinn = Train(ml);
        var data = ml.Data.LoadFromEnumerable(Conditions);
        var generator = cinn.AsGenerator(new ConditionalInnGenerationOptions { ImagesPerRow = 3, Temperature = 0, OutputColumnName = "Drawn" });
        var images = generator.Transform(data).GetColumn<VBuffer<float>>("Drawn").Select(v => v.DenseValues().ToArray()).ToArray();

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3, 1, 28, 28), generator.GetOutputSchema(data.Schema)["Drawn"].Type);
        Assert.All(images, image => Assert.Equal(3 * 784, image.Length));
        // z = 0 for every seed: each class's images are all its mode, and two classes' modes differ.
        Assert.Equal(images[0], images[1]);
        Assert.Equal(images[0][..784], images[0][784..1568]);
        Assert.NotEqual(images[0], images[2]);
    }

    [Fact]
    public void SavedAndLoadedGeneratorsGiveIdenticalImagesInAFreshContext()
    {
        var ml = new MLContext(seed: 1);
        using var cinn = Train(ml);
        var generator = cinn.AsGenerator(new ConditionalInnGenerationOptions { Temperature = 0.7, Seed = 11, ImagesPerRow = 2, BatchSize = 4 });
        var data = ml.Data.LoadFromEnumerable(Conditions);
        using var stream = new MemoryStream();
        ml.Model.Save(generator, data.Schema, stream);
        stream.Position = 0;
        using var loaded = (ConditionalInnGenerationTransformer)FreshContext().Model.Load(stream, out _);

        Assert.Equal(generator.Options, loaded.Options);
        Assert.Equal(Images(generator, data), Images(loaded, data));
    }

    [Fact]
    public void UnknownClassesAreRefusedAndGenerationLeaksNoTensors()
    {
        var ml = new MLContext(seed: 1);
        using var leaks = new LeakCheck();
        using var cinn = Train(ml);
        var generator = cinn.AsGenerator(new ConditionalInnGenerationOptions { BatchSize = 2 });
        _ = Images(generator, ml.Data.LoadFromEnumerable(Conditions));
        var error = Assert.Throws<InvalidDataException>(() => Images(generator, ml.Data.LoadFromEnumerable(new[] { new ConditionRow { Label = 10, Seed = 1 } })));
        Assert.Equal("column 'Label' holds the class 10, which is not a class of this model: expected class indices 0 … 9", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => cinn.AsGenerator(new ConditionalInnGenerationOptions { ImagesPerRow = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => cinn.AsGenerator(new ConditionalInnGenerationOptions { Temperature = double.NaN }));
        cinn.Dispose();
    }

    private static ConditionalInnTransformer Train(MLContext ml) => ml.Transforms.ConditionalInn(new ConditionalInnTrainerOptions
    {
        ImageHeight = 28, ImageWidth = 28, NumberOfClasses = 10, BlocksPerLevel = 1, HiddenChannels = 8, BatchSize = 16,
        NumberOfEpochs = 1, ValidationFraction = 0, Seed = 1,
    }).Fit(ml.Data.LoadFromEnumerable(Rows.Integer(16)));

    private static float[][] Images(ITransformer generator, IDataView data) =>
        [.. generator.Transform(data).GetColumn<VBuffer<float>>(Output).Select(v => v.DenseValues().ToArray())];

    private static MLContext FreshContext()
    {
        var fresh = new MLContext();
        fresh.ComponentCatalog.RegisterMLNetFlows();
        return fresh;
    }

    private sealed class ConditionRow
    {
        public int Label { get; set; }

        public int Seed { get; set; }
    }
}
