using MLNetFlows.Models.InfoGan;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.InfoGan;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>The InfoGAN training loop: learning, reproducibility, exact resume, the mode-collapse watch, native memory.</summary>
public sealed class InfoGanTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void AFewStepsLowerQsLossesAndLeakNothing()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96);
        var options = TinyTraining.Options();
        options.NumberOfEpochs = 6;

        var (model, history) = new InfoGanTraining(options, output.WriteLine).Run(pixels);
        model.Dispose();

        Assert.Equal(6, history.Count);
        Assert.Equal(36, history[^1].Step);
        // Lower Q losses = higher information estimates (H(c) − loss).
        Assert.True(history[^1].CategoricalInformation > history[0].CategoricalInformation + 0.2, $"categorical information {history[0].CategoricalInformation:F3} → {history[^1].CategoricalInformation:F3}");
        Assert.True(history[^1].ContinuousInformation > history[0].ContinuousInformation + 0.1, $"continuous information {history[0].ContinuousInformation:F3} → {history[^1].ContinuousInformation:F3}");
        Assert.All(history, r => Assert.True(double.IsFinite(r.DiscriminatorLoss) && double.IsFinite(r.GeneratorLoss)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.99)]
    public void ResumingFromAMidEpochCheckpointEqualsTheUninterruptedRun(double? averaging)
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96);
        using var directory = new TempDirectory();
        var options = TinyTraining.Options();
        options.NumberOfEpochs = 2;
        options.WeightAveragingDecay = averaging;
        var (straight, straightHistory) = new InfoGanTraining(options, null).Run(pixels);
        using var straightModel = straight;

        using var cancel = new CancellationTokenSource();
        var interrupted = TinyTraining.Options();
        interrupted.NumberOfEpochs = 2;
        interrupted.WeightAveragingDecay = averaging;
        interrupted.CheckpointDirectory = directory.Path;
        interrupted.CheckpointEverySteps = 4;
        interrupted.CancellationToken = cancel.Token;
        interrupted.StepCallback = s => { if (s.Step == 9) cancel.Cancel(); }; // mid second epoch, after the step-8 checkpoint
        Assert.ThrowsAny<OperationCanceledException>(() => new InfoGanTraining(interrupted, null).Run(pixels));
        interrupted.CancellationToken = CancellationToken.None;
        interrupted.StepCallback = null;
        var lines = new List<string>();
        var (resumed, resumedHistory) = new InfoGanTraining(interrupted, lines.Add).Run(pixels);
        using var resumedModel = resumed;

        Assert.Contains(lines, l => l.StartsWith("InfoGAN: resuming from step 9 (epoch 2)", StringComparison.Ordinal));
        AssertSameWeights(straightModel, resumedModel);
        Assert.Equal(straightHistory.Select(r => r with { ImagesPerSecond = 0 }), resumedHistory.Select(r => r with { ImagesPerSecond = 0 }));
    }

    [Fact]
    public void WeightAveragingIsWhatTheEpochCallbackAndTheReturnedModelSeeAndLeavesTrainingAlone()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96);
        using var directory = new TempDirectory();
        var options = TinyTraining.Options();
        options.NumberOfEpochs = 2;
        options.WeightAveragingDecay = null;
        var (raw, _) = new InfoGanTraining(options, null).Run(pixels);
        using var rawModel = raw;

        options.WeightAveragingDecay = 0.9;
        options.CheckpointDirectory = directory.Path;
        float[]? seenByTheLastCallback = null;
        options.EpochModelCallback = (_, model) => seenByTheLastCallback = Parameters(model);
        var (averaged, _) = new InfoGanTraining(options, null).Run(pixels);
        using var averagedModel = averaged;
        using var trained = new InfoGanModel(options.Architecture);
        InfoGanCheckpoint.LoadTrainedWeights(directory.Path, trained);

        AssertSameWeights(rawModel, trained); // the averaging changes no step, and the checkpoint keeps the trained weights
        Assert.Equal(Parameters(averagedModel), seenByTheLastCallback);
        Assert.NotEqual(Parameters(rawModel), Parameters(averagedModel));

        options.WeightAveragingDecay = null;
        options.EpochModelCallback = null;
        var error = Assert.Throws<InvalidDataException>(() => new InfoGanTraining(options, null).Run(pixels));
        Assert.EndsWith("was trained with weight averaging, but the options ask for none; use another CheckpointDirectory or matching WeightAveragingDecay", error.Message);
        options.WeightAveragingDecay = 1;
        Assert.StartsWith("WeightAveragingDecay must be in (0, 1) when set, got 1", Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void TheRealInformationTermMakesQConfidentAndBalancedOnRealImagesFromItsStartStep()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96);
        var options = TinyTraining.Options();
        options.DiscriminatorLearningRate = 2e-3; // the tiny run's 24 steps move Q little at the paper's rate
        var (plain, _) = new InfoGanTraining(options, null).Run(pixels);
        using var plainModel = plain;
        options.RealInformationWeight = 4;
        var (informed, _) = new InfoGanTraining(options, null).Run(pixels);
        using var informedModel = informed;
        options.RealInformationStartStep = 25; // after the run's 24 steps: the term never enters
        var (late, _) = new InfoGanTraining(options, null).Run(pixels);
        using var lateModel = late;
        AssertSameWeights(plainModel, lateModel);

        double LossOnRealImages(InfoGanModel model)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return InfoGanObjective.BatchCategoryInformationLoss(options.Architecture, model.Discriminator.Infer(pixels.to(float32).div(255))).item<float>();
        }

        var (without, with) = (LossOnRealImages(plainModel), LossOnRealImages(informedModel));
        output.WriteLine($"minus the information of Q's classes about the real images: {without:F3} without the term, {with:F3} with it");
        Assert.True(with < without - 0.1, $"{with:F3} with the term against {without:F3} without");
        options.RealInformationWeight = -1;
        Assert.StartsWith("RealInformationWeight must be finite and not negative, got -1", Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void ARunStoppedByMaxTrainingTimeMidEpochResumesWhereItStopped()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96); // 6 batches per epoch
        using var directory = new TempDirectory();
        var options = TinyTraining.Options();
        options.NumberOfEpochs = 2;
        var (straight, straightHistory) = new InfoGanTraining(options, null).Run(pixels);
        using var straightModel = straight;

        var stopped = TinyTraining.Options();
        stopped.NumberOfEpochs = 2;
        stopped.CheckpointDirectory = directory.Path;
        stopped.MaxTrainingTime = TimeSpan.FromMilliseconds(1);
        var (first, partial) = new InfoGanTraining(stopped, null).Run(pixels);
        first.Dispose();
        var reached = Assert.Single(partial).Step;
        Assert.InRange(reached, 0, 5); // inside the first epoch
        stopped.MaxTrainingTime = null;
        var lines = new List<string>();
        var (resumed, resumedHistory) = new InfoGanTraining(stopped, lines.Add).Run(pixels);
        using var resumedModel = resumed;

        Assert.Contains(lines, l => l.StartsWith($"InfoGAN: resuming from step {reached} (epoch 1)", StringComparison.Ordinal));
        AssertSameWeights(straightModel, resumedModel);
        Assert.Equal(straightHistory.Select(r => r with { ImagesPerSecond = 0 }), resumedHistory.Select(r => r with { ImagesPerSecond = 0 }));
    }

    [Fact]
    public void TheSameSeedGivesTheSameModelAndAnotherSeedAnother()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(48);
        var options = TinyTraining.Options();
        options.NumberOfEpochs = 1;

        using var first = new InfoGanTraining(options, null).Run(pixels).Model;
        using var again = new InfoGanTraining(options, null).Run(pixels).Model;
        options.Seed = 6;
        using var other = new InfoGanTraining(options, null).Run(pixels).Model;

        AssertSameWeights(first, again);
        using var scope = NewDisposeScope();
        Assert.False(first.state_dict()["generator.fc1.weight"].eq(other.state_dict()["generator.fc1.weight"]).all().item<bool>());
    }

    [Fact]
    public void GarbageCollectionsOnAnotherThreadDoNotChangeTheModel()
    {
        // Before the library had its own Adam and batch normalisation, TorchSharp's freed a temporary Scalar when a
        // collection hit its native call (OptimizerLifetimeTests reproduces that reliably on the optimizer alone).
        using var pixels = ShapesData.Tensor(96);
        var options = TinyTraining.Options();
        using var quiet = new InfoGanTraining(options, null).Run(pixels).Model;

        using var pressure = new CollectionPressure();
        for (var run = 0; run < 2; run++)
        {
            using var busy = new InfoGanTraining(options, null).Run(pixels).Model;
            AssertSameWeights(quiet, busy);
        }

        Assert.True(pressure.Collections > 10, $"only {pressure.Collections} collections ran during the trainings");
    }

    [Fact]
    public void ModeCollapseWatchStaysQuietOnTheDefaultSetting()
    {
        using var pixels = ShapesData.Tensor(96);
        var options = TinyTraining.Options();
        options.NumberOfEpochs = 10;

        var (model, history) = new InfoGanTraining(options, output.WriteLine).Run(pixels);
        model.Dispose();

        Assert.Equal(10, history.Count);
        Assert.All(history, r => Assert.Null(r.ModeCollapse));
    }

    [Fact]
    public void ModeCollapseStopsTrainingWhenTheGeneratorIsDead()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96);
        using var directory = new TempDirectory();
        var options = Collapsing(TinyTraining.Options(), pixels, directory.Path);

        var e = Assert.Throws<InfoGanModeCollapseException>(() => new InfoGanTraining(options, output.WriteLine).Run(pixels));

        output.WriteLine(e.Message);
        Assert.StartsWith("InfoGAN mode collapse: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("categorical code 0 collapsed (Q's predicted classes over 256 generated images have normalised entropy 0.000, below 0.3: the code no longer changes the images); raise CategoricalWeight or lower DiscriminatorLearningRate", e.Message, StringComparison.Ordinal);
        Assert.Contains("the samples stopped varying (their per-pixel spread is 0.000 of the training images', below 0.1); lower the learning rates, or restart with another Seed", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("Training stopped (OnModeCollapse = Stop; set it to Warn to train on).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModeCollapseOnlyWarnsWhenAskedTo()
    {
        using var pixels = ShapesData.Tensor(96);
        using var directory = new TempDirectory();
        var options = Collapsing(TinyTraining.Options(), pixels, directory.Path);
        options.OnModeCollapse = ModeCollapseAction.Warn;
        var lines = new List<string>();

        var (model, history) = new InfoGanTraining(options, lines.Add).Run(pixels);
        model.Dispose();

        Assert.Equal(10, history.Count);
        Assert.All(history.Where(r => r.Step >= options.ModeCollapseWarmupSteps), r => Assert.NotNull(r.ModeCollapse));
        Assert.Contains(lines, l => l.StartsWith("warning: InfoGAN mode collapse: ", StringComparison.Ordinal) && l.Contains("categorical code 0 collapsed", StringComparison.Ordinal));
    }

    [Fact]
    public void BadOptionsAndPixelsAreRefusedWithTheFix()
    {
        var options = TinyTraining.Options();
        options.ImageHeight = 10;
        var geometry = Assert.Throws<ArgumentException>(() => new InfoGanTraining(options, null));
        options = TinyTraining.Options();
        options.DiscriminatorLearningRate = 0;
        var rate = Assert.Throws<ArgumentException>(() => new InfoGanTraining(options, null));
        using var floats = zeros(4, 1, 8, 8);
        var dtype = Assert.Throws<ArgumentException>(() => new InfoGanTraining(TinyTraining.Options(), null).Run(floats));

        Assert.Equal("InfoGAN needs image height and width divisible by 4 (two stride-2 convolutions), got 10×8; resize or pad the images", geometry.Message);
        Assert.Equal("DiscriminatorLearningRate must be positive and finite, got 0 (Parameter 'DiscriminatorLearningRate')", rate.Message);
        Assert.Equal("training pixels must be UInt8 pixel levels in [0, 255], got Float32", dtype.Message);
    }

    [Fact]
    public void TheDefaultInitialisationIsOpenAisNormalWithStandardDeviationTwoHundredths()
    {
        using var leaks = new LeakCheck();
        var options = new InfoGanTrainerOptions { ImageHeight = 28, ImageWidth = 28 };
        Assert.Equal(InfoGanWeightInitialization.OpenAi, options.WeightInitialization);
        manual_seed(1);
        using var model = new InfoGanModel(options.Architecture);

        InfoGanTraining.InitializeAsOpenAi(model);

        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var (mean, std) = (parameter.mean().item<float>(), parameter.std().item<float>());
            if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                Assert.True(parameter.eq(0).all().item<bool>(), $"'{name}' is not zero");
            }
            else if (parameter.dim() == 1)
            {
                Assert.True(Math.Abs(mean - 1) < 0.01 && std is > 0.01f and < 0.03f, $"batch-normalisation scale '{name}': mean {mean}, std {std}");
            }
            else
            {
                Assert.True(Math.Abs(mean) < 0.002 && Math.Abs(std - 0.02) < 0.002, $"'{name}': mean {mean}, std {std}");
            }
        }
    }

    /// <summary>
    /// Sets <paramref name="options"/> to resume, for 10 epochs, from a step-0 checkpoint written into
    /// <paramref name="directory"/> whose generator is dead: its last up-convolution has zero weights and bias −50, so
    /// every image is sigmoid(−50) ≈ 0, the zero weights pass no gradient back, and the bias's gradient (≈ 10⁻²¹) is far
    /// below Adam's ε, so it stays dead. The watch must then fire on every CPU: the samples cannot vary and Q sees one
    /// image. Learning rates alone do not break runs this small reliably (probed over seeds 1–20 for 16 epochs: D ×100 with
    /// G ÷100 and λ_cat = 0 fired for 13 seeds, G ×1000 with D ×100 and λ_cat = 0 for 19; the tiny D never won outright).
    /// </summary>
    private static InfoGanTrainerOptions Collapsing(InfoGanTrainerOptions options, Tensor pixels, string directory)
    {
        options.NumberOfEpochs = 10;
        options.CheckpointDirectory = directory;
        using var model = new InfoGanModel(options.Architecture);
        using (no_grad())
        using (NewDisposeScope())
        {
            var last = model.Generator.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            last["deconv2.weight"].zero_();
            last["deconv2.bias"].fill_(-50);
        }

        using var generator = new AdamOptimizer(OptimizerKind.Adam, model.Generator.parameters(), options.GeneratorLearningRate, options.Beta1, options.Beta2);
        using var discriminator = new AdamOptimizer(OptimizerKind.Adam, model.Discriminator.parameters(), options.DiscriminatorLearningRate, options.Beta1, options.Beta2);
        var batch = (int)Math.Min(options.BatchSize, pixels.shape[0]);
        InfoGanCheckpoint.Save(directory, new InfoGanTrainee(model, generator, discriminator, null), new InfoGanRunIdentity(options.Seed, batch, pixels.shape[0]), new InfoGanTrainingProgress());
        return options;
    }

    private static float[] Parameters(InfoGanModel model) => model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();

    private static void AssertSameWeights(InfoGanModel expected, InfoGanModel actual)
    {
        using var scope = NewDisposeScope();
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.Order(StringComparer.Ordinal), b.Keys.Order(StringComparer.Ordinal));
        Assert.All(a, p => Assert.True(p.Value.eq(b[p.Key]).all().item<bool>(), $"'{p.Key}' differs"));
    }
}
