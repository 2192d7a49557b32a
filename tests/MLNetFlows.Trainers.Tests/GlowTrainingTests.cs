using MLNetFlows.Models.Glow;
using MLNetFlows.Torch;
using MLNetFlows.Trainers.Glow;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Trainers.Tests;

public sealed class GlowTrainingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnf-glow-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static GlowTrainerOptions TinyOptions() => new()
    {
        ImageHeight = 28, ImageWidth = 28, Levels = 2, StepsPerLevel = 2, HiddenChannels = 16,
        BatchSize = 32, NumberOfEpochs = 2, LearningRate = 2e-3, WarmupSteps = 4, LearningRateSchedule = LearningRateSchedule.Cosine,
    };

    /// <summary>The first <paramref name="count"/> Fashion-MNIST training images as UInt8 [N, 1, 28, 28].</summary>
    private static Tensor FashionMnistPixels(int count, bool train = true)
    {
        var (images, _) = FashionMnist.LoadRaw(train);
        return Tensor.FromSpan(images.Pixels.Span[..(count * 28 * 28)], [count, 1, 28, 28]);
    }

    private static float[] Weights(GlowModel model) =>
        model.StateDict().Values.Where(t => t.DType == DType.Float32).SelectMany(t => t.ToArray<float>()).ToArray();

    [Fact]
    public void BitsPerDimFallOnFashionMnist()
    {
        using var train = FashionMnistPixels(256);
        using var validation = FashionMnistPixels(128, train: false);
        var options = TinyOptions();
        options.NumberOfEpochs = 3;
        var training = new GlowTraining(options, seed: 1, log: null);
        TorchRuntime.ManualSeed(1);
        double untrained;
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
        }
    }

    [Fact]
    public void SameSeedGivesTheSameModel()
    {
        using var train = FashionMnistPixels(64);
        var options = TinyOptions();
        using var first = new GlowTraining(options, 3, null).Run(train, null).Model;
        using var second = new GlowTraining(options, 3, null).Run(train, null).Model;
        using var other = new GlowTraining(options, 4, null).Run(train, null).Model;

        Assert.Equal(Weights(first), Weights(second));
        Assert.NotEqual(Weights(first), Weights(other));
    }

    [Fact]
    public void ResumingAfterCancellationMidEpochEqualsUninterruptedTraining()
    {
        using var train = FashionMnistPixels(128); // 4 batches per epoch, 8 steps in all
        var reference = TinyOptions();
        using var uninterrupted = new GlowTraining(reference, 5, null).Run(train, null).Model;

        using var cancellation = new CancellationTokenSource();
        var interrupted = TinyOptions();
        interrupted.CheckpointDirectory = _directory;
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
        Assert.True(File.Exists(Path.Combine(_directory, "glow-checkpoint.safetensors")));

        var resumed = TinyOptions();
        resumed.CheckpointDirectory = _directory;
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
    public void MaxTrainingTimeStopsEarlyAndStillReturnsAModel()
    {
        using var train = FashionMnistPixels(128);
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
    public void CheckpointOfAnotherArchitectureIsRefused()
    {
        using var train = FashionMnistPixels(32);
        var options = TinyOptions();
        options.NumberOfEpochs = 1;
        options.CheckpointDirectory = _directory;
        new GlowTraining(options, 1, null).Run(train, null).Model.Dispose();
        options.HiddenChannels = 8;

        var error = Assert.Throws<InvalidDataException>(() => new GlowTraining(options, 1, null).Run(train, null));

        Assert.Contains("was trained with architecture", error.Message);
        Assert.Contains("use another CheckpointDirectory or matching options", error.Message);
    }

    [Fact]
    public void DivergenceStopsAfterTooManySkippedStepsWithAClearError()
    {
        using var train = FashionMnistPixels(64);
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
        using var train = FashionMnistPixels(128);
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
        using var train = FashionMnistPixels(64);
        var options = TinyOptions();
        options.WeightAveragingDecay = null;
        using var raw = new GlowTraining(options, 3, null).Run(train, null).Model;
        options.WeightAveragingDecay = 0.999;
        options.CheckpointDirectory = _directory;
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
    public void PixelsOfTheWrongShapeAreRefused()
    {
        using var wrong = Tensor.Zeros([4, 1, 32, 32], DType.UInt8);

        var error = Assert.Throws<ArgumentException>(() => new GlowTraining(TinyOptions(), 1, null).Run(wrong, null));

        Assert.Equal("training pixels must have shape [N ≥ 1, 1, 28, 28], got [4, 1, 32, 32]", error.Message);
    }
}
