using MLNetFlows.Models.Glow;
using MLNetFlows.Trainers.Glow;
using TorchSharp;

namespace MLNetFlows.Trainers.Tests;

/// <summary>The Glow training loop on Fashion-MNIST: learning, reproducibility, exact resume, and its safety nets.</summary>
public sealed class GlowTrainingTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    internal static GlowTrainerOptions TinyOptions() => new()
    {
        ImageHeight = 28, ImageWidth = 28, Levels = 2, StepsPerLevel = 2, HiddenChannels = 16,
        BatchSize = 32, NumberOfEpochs = 2, LearningRate = 2e-3, WarmupSteps = 4, LearningRateSchedule = LearningRateSchedule.Cosine,
    };

    internal static float[] Weights(GlowModel model) =>
        model.state_dict().Values.Where(t => t.dtype == torch.float32).SelectMany(t => t.data<float>().ToArray()).ToArray();

    [Fact]
    public void BitsPerDimFallOnFashionMnist()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(256);
        using var validation = FashionMnistPixels.Load(128, train: false);
        var options = TinyOptions();
        options.NumberOfEpochs = 3;
        var training = new GlowTraining(options, seed: 1, log: null);
        double untrained;
        torch.manual_seed(1).Dispose();
        using (var fresh = new GlowModel(options.Architecture))
        {
            untrained = training.Evaluate(fresh, validation);
        }

        var (model, history) = training.Run(train, validation);
        using (model)
        {
            Assert.Equal(3, history.Count);
            Assert.True(history[^1].ValidationBitsPerDim < untrained - 1, $"validation bits/dim {history[^1].ValidationBitsPerDim} did not fall by 1 from the untrained {untrained}");
            Assert.True(history[^1].TrainBitsPerDim < history[0].TrainBitsPerDim, "training bits/dim did not fall across epochs");
            Assert.All(history, h => Assert.Equal(0, h.SkippedSteps));
            Assert.False(model.training, "the returned model must be in evaluation mode");
        }
    }

    [Fact]
    public void SameSeedGivesTheSameModel()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(64);
        var options = TinyOptions();
        using var first = new GlowTraining(options, 3, null).Run(train, null).Model;
        using var second = new GlowTraining(options, 3, null).Run(train, null).Model;
        using var other = new GlowTraining(options, 4, null).Run(train, null).Model;

        Assert.Equal(Weights(first), Weights(second));
        Assert.NotEqual(Weights(first), Weights(other));
    }

    [Theory]
    [InlineData(OptimizerKind.Adamax)]
    [InlineData(OptimizerKind.Adam)]
    public void GarbageCollectionsOnAnotherThreadDoNotChangeTheModel(OptimizerKind optimizer)
    {
        using var train = FashionMnistPixels.Load(64);
        var options = TinyOptions();
        options.Optimizer = optimizer;
        using var quiet = new GlowTraining(options, 3, null).Run(train, null).Model;

        using var pressure = new CollectionPressure();
        using var busy = new GlowTraining(options, 3, null).Run(train, null).Model;

        Assert.Equal(Weights(quiet), Weights(busy));
        Assert.True(pressure.Collections > 10, $"only {pressure.Collections} collections ran during the training");
    }

    [Theory]
    [InlineData(OptimizerKind.Adamax, null)]
    [InlineData(OptimizerKind.Adam, 5.0)]
    public void ResumingAfterCancellationMidEpochEqualsUninterruptedTraining(OptimizerKind optimizer, double? clipNorm)
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(128); // 4 batches per epoch, 8 steps in all
        GlowTrainerOptions Options()
        {
            var options = TinyOptions();
            options.Optimizer = optimizer;
            options.GradientClipNorm = clipNorm;
            return options;
        }

        using var uninterrupted = new GlowTraining(Options(), 5, null).Run(train, null).Model;

        using var cancellation = new CancellationTokenSource();
        var interrupted = Options();
        interrupted.CheckpointDirectory = _directory.Path;
        interrupted.CheckpointEverySteps = 100;
        interrupted.CancellationToken = cancellation.Token;
        interrupted.StepCallback = report =>
        {
            if (report.Step == 6)
            {
                cancellation.Cancel(); // mid-epoch 2: the checkpoint holds step 6
            }
        };
        Assert.Throws<OperationCanceledException>(() => new GlowTraining(interrupted, 5, null).Run(train, null));
        Assert.True(File.Exists(_directory.File("glow-checkpoint.safetensors")));

        var resumed = Options();
        resumed.CheckpointDirectory = _directory.Path;
        var messages = new List<string>();
        var (model, history) = new GlowTraining(resumed, 5, messages.Add).Run(train, null);
        using (model)
        {
            Assert.Contains(messages, m => m.StartsWith("Glow: resuming from step 6 (epoch 2)", StringComparison.Ordinal));
            Assert.Equal(2, history.Count);
            Assert.Equal(Weights(uninterrupted), Weights(model));
        }
    }

    [Fact]
    public void ARunStoppedByMaxTrainingTimeMidEpochResumesWhereItStopped()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(128); // 4 batches per epoch, 8 steps in all
        var (uninterrupted, expected) = new GlowTraining(TinyOptions(), 5, null).Run(train, null);
        using var _ = uninterrupted;

        var stopped = TinyOptions();
        stopped.CheckpointDirectory = _directory.Path;
        stopped.MaxTrainingTime = TimeSpan.FromMilliseconds(1);
        var (first, partial) = new GlowTraining(stopped, 5, null).Run(train, null);
        first.Dispose();
        var reached = Assert.Single(partial).Step;
        Assert.InRange(reached, 0, 3); // inside the first epoch

        var resumed = TinyOptions();
        resumed.CheckpointDirectory = _directory.Path;
        var messages = new List<string>();
        var (model, history) = new GlowTraining(resumed, 5, messages.Add).Run(train, null);
        using (model)
        {
            Assert.Contains(messages, m => m.StartsWith($"Glow: resuming from step {reached} (epoch 1)", StringComparison.Ordinal));
            Assert.Equal(expected.Select(r => r with { ImagesPerSecond = 0 }), history.Select(r => r with { ImagesPerSecond = 0 }));
            Assert.Equal(Weights(uninterrupted), Weights(model));
        }
    }

    [Fact]
    public void MaxTrainingTimeStopsEarlyAndStillReturnsAModel()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(128);
        var options = TinyOptions();
        options.NumberOfEpochs = 1000;
        options.MaxTrainingTime = TimeSpan.FromMilliseconds(1);
        var messages = new List<string>();

        var (model, history) = new GlowTraining(options, 1, messages.Add).Run(train, null);

        using (model)
        {
            Assert.Single(history);
            Assert.InRange(history[0].Step, 1, 3);
            Assert.Contains(messages, m => m.StartsWith("Glow: stopped after", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void StepAndEpochCallbacksReportEveryStepAndEpoch()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(96);
        using var validation = FashionMnistPixels.Load(32, train: false);
        var steps = new List<GlowStepReport>();
        var epochs = new List<GlowEpochReport>();
        var options = TinyOptions();
        options.StepCallback = steps.Add;
        options.ProgressCallback = epochs.Add;

        var (model, history) = new GlowTraining(options, 2, null).Run(train, validation);
        model.Dispose();

        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), steps.Select(s => s.Step));
        Assert.Equal([1, 2, 3, 1, 2, 3], steps.Select(s => s.Batch));
        Assert.Equal([1, 1, 1, 2, 2, 2], steps.Select(s => s.Epoch));
        Assert.All(steps, s => Assert.Equal(3, s.BatchesPerEpoch));
        Assert.All(steps, s => Assert.InRange(s.BitsPerDim, 0.5, 20));
        Assert.Equal(history, epochs);
        Assert.Equal([3L, 6L], epochs.Select(e => e.Step));
        Assert.All(epochs, e => Assert.InRange(e.ValidationBitsPerDim!.Value, 0.5, 20));
        Assert.All(epochs, e => Assert.True(e.ImagesPerSecond > 0));
    }

    [Fact]
    public void DivergenceStopsAfterTooManySkippedStepsWithAClearError()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(64);
        var options = TinyOptions();
        options.LearningRate = 1e30;
        options.WarmupSteps = 0;
        options.NumberOfEpochs = 50;
        options.MaxConsecutiveSkippedSteps = 3;

        var error = Assert.Throws<InvalidOperationException>(() => new GlowTraining(options, 1, null).Run(train, null));

        Assert.StartsWith("Glow training diverged: 3 consecutive skipped steps up to step", error.Message);
        Assert.Contains("Lower LearningRate", error.Message);
    }

    [Fact]
    public void LossesAboveTheSpikeFactorAreSkippedAndCounted()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(128);
        var options = TinyOptions();
        options.LearningRate = 1e-9; // the weights barely move, so batch losses scatter around the first one
        options.LossSpikeFactor = 1.0001;
        options.MaxConsecutiveSkippedSteps = 1000;
        var messages = new List<string>();

        var (model, history) = new GlowTraining(options, 2, messages.Add).Run(train, null);
        model.Dispose();
        options.LossSpikeFactor = null;
        var (unguarded, unguardedHistory) = new GlowTraining(options, 2, null).Run(train, null);
        unguarded.Dispose();

        var skipped = messages.Where(m => m.Contains("more than 1.0001× the running mean", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(skipped);
        Assert.Equal(skipped.Count, history[^1].SkippedSteps);
        Assert.True(history[^1].SkippedSteps < history[^1].Step, "every step was skipped");
        Assert.Equal(0, unguardedHistory[^1].SkippedSteps);
    }

    [Fact]
    public void WeightAveragingChangesTheReturnedModelAndCheckpointsMustAgreeOnIt()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(64);
        var options = TinyOptions();
        options.WeightAveragingDecay = null;
        using var raw = new GlowTraining(options, 3, null).Run(train, null).Model;
        options.WeightAveragingDecay = 0.999;
        options.CheckpointDirectory = _directory.Path;
        using var averaged = new GlowTraining(options, 3, null).Run(train, null).Model;
        Assert.NotEqual(Weights(raw), Weights(averaged));
        Assert.All(Weights(averaged), w => Assert.True(float.IsFinite(w)));

        options.WeightAveragingDecay = null;
        var error = Assert.Throws<InvalidDataException>(() => new GlowTraining(options, 3, null).Run(train, null));

        Assert.EndsWith("was trained with weight averaging, but the options ask for none; use another CheckpointDirectory or matching WeightAveragingDecay", error.Message);
    }

    public static TheoryData<string, Action<GlowTrainerOptions>> BadOptions() => new()
    {
        { "BatchSize must be at least 1, got 0", o => o.BatchSize = 0 },
        { "NumberOfBits must be between 1 and 8, got 9", o => o.NumberOfBits = 9 },
        { "LearningRate must be positive and finite, got -1", o => o.LearningRate = -1 },
        { "ValidationFraction must be in [0, 1), got 1", o => o.ValidationFraction = 1 },
        { "ImageHeight and ImageWidth must be positive, got 0×28", o => o.ImageHeight = 0 },
        { "Device: 'gpu' is not a device: expected 'cpu', 'cuda' or 'cuda:N'.", o => o.Device = "gpu" },
        { "SoftClamp must be positive, got -2", o => o.SoftClamp = -2 },
        { "LossSpikeFactor must be finite and greater than 1 when set, got 1", o => o.LossSpikeFactor = 1 },
        { "WeightAveragingDecay must be in (0, 1) when set, got 1", o => o.WeightAveragingDecay = 1 },
        { "MaxConsecutiveSkippedSteps must be at least 1, got 0", o => o.MaxConsecutiveSkippedSteps = 0 },
        { "GradientClipNorm must be positive when set, got 0", o => o.GradientClipNorm = 0 },
        { "MaxTrainingTime must be positive when set, got 00:00:00", o => o.MaxTrainingTime = TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsAreRefusedWithTheirValue(string expected, Action<GlowTrainerOptions> spoil)
    {
        var options = TinyOptions();
        spoil(options);

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void PixelsOfTheWrongShapeOrTypeAreRefused()
    {
        using var leaks = new LeakCheck();
        using var wrongShape = torch.zeros([4, 1, 32, 32], torch.uint8);
        using var rightShape = torch.zeros([4, 1, 28, 28], torch.uint8);
        using var wrongType = torch.zeros([4, 1, 28, 28], torch.float32);
        var training = new GlowTraining(TinyOptions(), 1, null);

        var shapeError = Assert.Throws<ArgumentException>(() => training.Run(wrongShape, null));
        var typeError = Assert.Throws<ArgumentException>(() => training.Run(rightShape, wrongType));

        Assert.Equal("training pixels must have shape [N ≥ 1, 1, 28, 28], got [4, 1, 32, 32]", shapeError.Message);
        Assert.Equal("validation pixels must be UInt8 pixel levels in [0, 255], got Float32", typeError.Message);
    }
}
