using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers.Cinn;
using Xunit.Abstractions;

namespace MLNetFlows.ConditionalInn.Tests.Estimators;

public sealed class ConditionalInnEstimatorTests(ITestOutputHelper output)
{
    private const string ExpectedLabel = "Key<UInt32, 0-9> (one key per class) or Int32 (class indices 0 … 9)";

    private static ConditionalInnTrainerOptions Options(int epochs = 1, int classes = 10) => new()
    {
        ImageHeight = 28, ImageWidth = 28, NumberOfClasses = classes, Levels = 2, BlocksPerLevel = 1, HiddenChannels = 16,
        BatchSize = 16, NumberOfEpochs = epochs, LearningRate = 2e-3, ValidationFraction = 0, ScoringBatchSize = 8, Seed = 1,
    };

    [Fact]
    public void PassesTheEstimatorContract()
    {
        var ml = new MLContext(seed: 1);
        var valid = ml.Data.LoadFromEnumerable(Rows.Keyed(16));
        var blank = Enumerable.Range(0, 4).Select(_ => new float[784]).ToArray();
        using var transformer = EstimatorContract.Check(ml, ml.Transforms.ConditionalInn(Options()), valid, () =>
        {
            var fresh = new MLContext();
            fresh.ComponentCatalog.RegisterMLNetFlows();
            return fresh;
        },
            new BadInput(ml.Data.LoadFromEnumerable(blank.Select(f => new Rows.SingleRow { Features = f })), "Label", ExpectedLabel, "Single"),
            new BadInput(ml.Data.LoadFromEnumerable(blank.Select(f => new Rows.FiveClassRow { Features = f, Label = 1 })), "Label", ExpectedLabel, "Key<UInt32, 0-4>", DetectableFromShape: false),
            new BadInput(ml.Data.LoadFromEnumerable(blank.Select(f => new Rows.NoFeaturesRow { Pixels = f, Label = 1 })), "Features", "Vector<Single, 1, 28, 28> or Vector<Single, 784>", null));
        Assert.Equal(10, transformer.NumberOfClasses);
        Assert.Equal(10, transformer.ClassLogPriors.Count);
    }

    [Fact]
    public void BadLabelColumnsAreRefusedWithExactMessages()
    {
        var ml = new MLContext(seed: 1);
        var blank = Enumerable.Range(0, 4).Select(_ => new float[784]).ToArray();
        var estimator = ml.Transforms.ConditionalInn(Options());
        var wrongType = Assert.Throws<SchemaMismatchException>(() => estimator.Fit(ml.Data.LoadFromEnumerable(blank.Select(f => new Rows.SingleRow { Features = f }))));
        Assert.Equal($"Schema mismatch for input column 'Label': expected {ExpectedLabel}, got Single. (Parameter 'inputSchema')", wrongType.Message);
        var wrongCount = Assert.Throws<SchemaMismatchException>(() => estimator.Fit(ml.Data.LoadFromEnumerable(blank.Select(f => new Rows.FiveClassRow { Features = f }))));
        Assert.Equal($"Schema mismatch for input column 'Label': expected {ExpectedLabel}, got Key<UInt32, 0-4>. (Parameter 'inputSchema')", wrongCount.Message);
        var open = ml.Transforms.ConditionalInn(Options(classes: 0));
        var untyped = Assert.Throws<SchemaMismatchException>(() => open.GetOutputSchema(SchemaComparer.ShapeOf(ml.Data.LoadFromEnumerable(blank.Select(f => new Rows.SingleRow { Features = f })).Schema)));
        Assert.Equal("Schema mismatch for input column 'Label': expected a key of UInt32 (one key per class) or Int32 (class indices from 0), got Single. (Parameter 'inputSchema')", untyped.Message);
    }

    [Theory]
    [InlineData(LatentPrior.StandardNormal)]
    [InlineData(LatentPrior.ClassGaussian)]
    public void SavedAndLoadedModelsScoreIdenticallyInAFreshContext(LatentPrior prior)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows.Integer(24));
        var options = Options();
        options.LatentPrior = prior;
        using var transformer = ml.Transforms.ConditionalInn(options).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, stream);
        stream.Position = 0;
        var fresh = new MLContext();
        fresh.ComponentCatalog.RegisterMLNetFlows();
        var loaded = (ConditionalInnTransformer)fresh.Model.Load(stream, out _);
        using (loaded)
        {
            DataViewComparer.AssertEqual(transformer.Transform(data), loaded.Transform(data), "save → load → Transform");
            Assert.Equal(transformer.ClassLogPriors, loaded.ClassLogPriors);
            Assert.Equal(prior, loaded.Architecture.Prior);
            var a = transformer.Sample(3, count: 2, temperature: 0.7, seed: 9).Pixels;
            var b = loaded.Sample(3, count: 2, temperature: 0.7, seed: 9).Pixels;
            Assert.Equal(a[0], b[0]);
            Assert.Equal(a[1], b[1]);
            Assert.NotEqual(a[0], a[1]);
        }
    }

    [Fact]
    public void ThePriorDefaultsToAGaussianPerClassForClassesAndToTheStandardNormalForImages()
    {
        var classes = Options();
        var images = Options();
        images.NumberOfClasses = 0;
        images.Condition = ConditionKind.Image;
        var chosen = Options();
        chosen.LatentPrior = LatentPrior.StandardNormal;

        Assert.Null(classes.LatentPrior);
        Assert.Equal(LatentPrior.ClassGaussian, classes.ArchitectureFor(10).Prior);
        Assert.Equal(LatentPrior.StandardNormal, images.ArchitectureFor(0).Prior);
        Assert.Equal(LatentPrior.StandardNormal, chosen.ArchitectureFor(10).Prior);
    }

    [Fact]
    public void TheClassPriorIsRefusedForImageConditions()
    {
        var options = Options();
        options.NumberOfClasses = 0;
        options.Condition = ConditionKind.Image;
        options.LatentPrior = LatentPrior.ClassGaussian;
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal("LatentPrior ClassGaussian needs a class condition; set LatentPrior = StandardNormal or null with an image condition", error.Message);
    }

    [Fact]
    public void BayesClassifierBeatsChanceWithMulticlassEvaluate()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(epochs: 3);
        options.BatchSize = 32;
        using var transformer = ml.Transforms.ConditionalInn(options).Fit(ml.Data.LoadFromEnumerable(Rows.Keyed(400)));
        var test = transformer.Transform(ml.Data.LoadFromEnumerable(Rows.Keyed(200, train: false)));
        var metrics = ml.MulticlassClassification.Evaluate(test);
        output.WriteLine($"Bayes accuracy on 200 test images after 3 epochs on 400: {metrics.MicroAccuracy:F3}");
        Assert.True(metrics.MicroAccuracy > 0.2, $"Bayes accuracy {metrics.MicroAccuracy:F3} must be at least twice chance (0.1)");

        var bits = test.GetColumn<float>(ConditionalInnColumns.BitsPerDim).ToArray();
        Assert.All(bits, b => Assert.True(float.IsFinite(b) && b > 0, $"bits/dim {b} must be positive and finite"));
        Assert.True(bits.Average() < 8, $"mean conditional bits/dim {bits.Average():F3} must beat the 8 bits of raw pixels");
        var posterior = test.GetColumn<VBuffer<float>>(ConditionalInnColumns.Score).First().DenseValues().ToArray();
        Assert.Equal(10, posterior.Length);
        Assert.InRange(posterior.Sum(), 0.999f, 1.001f);
    }

    [Fact]
    public void ScoringWithoutTheLabelColumnAddsOnlyTheClassification()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = ml.Transforms.ConditionalInn(Options()).Fit(ml.Data.LoadFromEnumerable(Rows.Keyed(16)));
        var unlabelled = ml.Data.LoadFromEnumerable(Rows.Keyed(4).Select(r => new Rows.NoFeaturesRow { Pixels = r.Features }));
        var renamed = ml.Transforms.CopyColumns("Features", "Pixels").Fit(unlabelled).Transform(unlabelled);
        var dropped = ml.Transforms.DropColumns("Label").Fit(renamed).Transform(renamed);
        var schema = transformer.GetOutputSchema(dropped.Schema);
        Assert.Null(schema.GetColumnOrNull(ConditionalInnColumns.BitsPerDim));
        Assert.Equal(4, transformer.Transform(dropped).GetColumn<uint>(ConditionalInnColumns.PredictedLabel).Count());
    }

    [Fact]
    public void UnknownClassesAreRefusedWithExactMessages()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = ml.Transforms.ConditionalInn(Options()).Fit(ml.Data.LoadFromEnumerable(Rows.Integer(16)));
        var outOfRange = transformer.Transform(ml.Data.LoadFromEnumerable(Rows.Integer(2, label: 12)));
        var error = Assert.Throws<InvalidDataException>(() => outOfRange.GetColumn<float>(ConditionalInnColumns.BitsPerDim).ToArray());
        Assert.Equal("column 'Label' holds the class 12, which is not a class of this model: expected class indices 0 … 9", error.Message);

        var missingKey = transformer.Transform(ml.Data.LoadFromEnumerable(Rows.Keyed(2).Select(r => { r.Label = 10; return r; }).ToArray()));
        var keyError = Assert.Throws<InvalidDataException>(() => missingKey.GetColumn<float>(ConditionalInnColumns.LogLikelihood).ToArray());
        Assert.Equal("column 'Label' holds the key value 0, which is not a class of this model: expected key values 1 … 10 (classes 0 … 9); 0 marks a missing label", keyError.Message);

        var training = Assert.Throws<InvalidDataException>(() => ml.Transforms.ConditionalInn(Options(classes: 5)).Fit(ml.Data.LoadFromEnumerable(Rows.Integer(16))));
        Assert.StartsWith("column 'Label' holds the class ", training.Message);
        Assert.EndsWith(", which is not a class of this model: expected class indices 0 … 4", training.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Sample(10));
    }

    [Fact]
    public void FittingScoringAndSamplingLeakNoTensors()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows.Keyed(16));
        using var leaks = new LeakCheck();
        using var transformer = ml.Transforms.ConditionalInn(Options()).Fit(data);
        _ = transformer.Transform(data).GetColumn<float>(ConditionalInnColumns.BitsPerDim).ToArray();
        _ = transformer.Sample(1, count: 2, seed: 3);
        _ = transformer.EvaluateBitsPerDim(data, seed: 2);
        transformer.Dispose();
    }
}
