using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.Cinn;
using static TorchSharp.torch;

namespace MLNetFlows.ConditionalInn.Tests.Training;

public sealed class ConditionalInnTrainingTests
{
    private static ConditionalInnTrainerOptions Options(
        int epochs = 2, string? checkpoints = null, CancellationToken cancellation = default, LearningRateSchedule schedule = LearningRateSchedule.Constant) => new()
    {
        ImageHeight = 28, ImageWidth = 28, Levels = 2, BlocksPerLevel = 1, HiddenChannels = 16, BatchSize = 16,
        NumberOfEpochs = epochs, LearningRate = 2e-3, CheckpointDirectory = checkpoints, CheckpointEverySteps = 2,
        CancellationToken = cancellation, LearningRateSchedule = schedule, WarmupSteps = schedule == LearningRateSchedule.Constant ? 0 : 2,
    };

    private static (Tensor Pixels, Tensor Labels) Data(int count)
    {
        var (pixels, labels) = FashionMnistSubset.Load(count);
        return (tensor(pixels, [count, 1, 28, 28], ScalarType.Byte), tensor(labels.Select(l => (long)l).ToArray()));
    }

    private static void AssertSameWeights(ConditionalInnModel a, ConditionalInnModel b, bool expectEqual)
    {
        using var scope = NewDisposeScope();
        var stateB = b.state_dict();
        var equal = a.state_dict().All(p => p.Value.shape.SequenceEqual(stateB[p.Key].shape) && (p.Value - stateB[p.Key]).abs().max().item<float>() == 0);
        Assert.True(equal == expectEqual, expectEqual ? "the weights must be identical" : "the weights must differ");
    }

    [Fact]
    public void OptionsRefuseBatchSizesAndLevelsThatALoadWouldRefuse()
    {
        var batch = Options();
        batch.ScoringBatchSize = 16_385;
        var levels = Options();
        levels.Levels = 31;

        Assert.Equal("ScoringBatchSize must be between 1 and 16384, got 16385", Assert.Throws<ArgumentException>(batch.Validate).Message);
        Assert.Equal("Levels must be between 1 and 30, got 31", Assert.Throws<ArgumentException>(levels.Validate).Message);
    }

    [Fact]
    public void LossDecreasesOverAFewSteps()
    {
        using var leaks = new LeakCheck();
        var (pixels, labels) = Data(64);
        using (pixels)
        using (labels)
        {
            var losses = new List<double>();
            var options = Options(epochs: 3);
            var epochs = new List<ConditionalInnEpochReport>();
            options.StepCallback = r => losses.Add(r.BitsPerDim);
            options.ProgressCallback = epochs.Add;
            var training = new ConditionalInnTraining(options, numberOfClasses: 10, seed: 1, log: null);
            var (model, history) = training.Run(pixels, labels);
            using (model)
            {
                Assert.Equal(12, losses.Count);
                Assert.Equal(3, history.Count);
                Assert.Equal(history, epochs); // the progress callback saw every epoch's report
                Assert.True(history[^1].TrainBitsPerDim < history[0].TrainBitsPerDim - 0.2, $"train bits/dim must fall: {string.Join(", ", history.Select(h => h.TrainBitsPerDim))}");
                Assert.True(training.Evaluate(model, pixels, labels) < history[0].TrainBitsPerDim, "the trained model must score its data better than the first epoch did");
            }
        }
    }

    [Fact]
    public void SameSeedGivesTheSameWeightsAndAnotherSeedOthers()
    {
        using var leaks = new LeakCheck();
        var (pixels, labels) = Data(32);
        using (pixels)
        using (labels)
        {
            using var a = new ConditionalInnTraining(Options(), 10, seed: 5, null).Run(pixels, labels).Model;
            using var b = new ConditionalInnTraining(Options(), 10, seed: 5, null).Run(pixels, labels).Model;
            using var c = new ConditionalInnTraining(Options(), 10, seed: 6, null).Run(pixels, labels).Model;
            AssertSameWeights(a, b, expectEqual: true);
            AssertSameWeights(a, c, expectEqual: false);
        }
    }

    [Fact]
    public void TheCosineScheduleAndItsWarmUpChangeTheTrainedWeights()
    {
        using var leaks = new LeakCheck();
        var (pixels, labels) = Data(32);
        using (pixels)
        using (labels)
        {
            using var constant = new ConditionalInnTraining(Options(), 10, seed: 5, null).Run(pixels, labels).Model;
            using var cosine = new ConditionalInnTraining(Options(schedule: LearningRateSchedule.Cosine), 10, seed: 5, null).Run(pixels, labels).Model;
            AssertSameWeights(constant, cosine, expectEqual: false);
        }
    }

    [Theory]
    [InlineData(LearningRateSchedule.Constant)]
    [InlineData(LearningRateSchedule.Cosine)]
    public void ResumedRunEqualsUninterruptedRun(LearningRateSchedule schedule)
    {
        using var leaks = new LeakCheck();
        using var directory = new TempDirectory();
        var (pixels, labels) = Data(48);
        using (pixels)
        using (labels)
        {
            using var uninterrupted = new ConditionalInnTraining(Options(epochs: 2, schedule: schedule), 10, seed: 3, null).Run(pixels, labels).Model;

            using var cancellation = new CancellationTokenSource();
            var interrupted = Options(epochs: 2, directory.Path, cancellation.Token, schedule);
            interrupted.StepCallback = r =>
            {
                if (r.Step == 4)
                {
                    cancellation.Cancel(); // mid-epoch 2 (3 batches per epoch), between checkpoints
                }
            };
            Assert.Throws<OperationCanceledException>(() => new ConditionalInnTraining(interrupted, 10, seed: 3, null).Run(pixels, labels));
            Assert.True(File.Exists(Path.Combine(directory.Path, ConditionalInnCheckpointFile)));

            var log = new List<string>();
            var (resumed, history) = new ConditionalInnTraining(Options(epochs: 2, directory.Path, schedule: schedule), 10, seed: 3, log.Add).Run(pixels, labels);
            using (resumed)
            {
                Assert.Contains(log, l => l.StartsWith("Conditional INN: resuming from step 4 (epoch 2)", StringComparison.Ordinal));
                Assert.Equal(2, history.Count);
                AssertSameWeights(uninterrupted, resumed, expectEqual: true);
            }
        }
    }

    [Fact]
    public void ARunStoppedByMaxTrainingTimeMidEpochResumesWhereItStopped()
    {
        using var leaks = new LeakCheck();
        using var directory = new TempDirectory();
        var (pixels, labels) = Data(48); // 3 batches per epoch
        using (pixels)
        using (labels)
        {
            var (uninterrupted, expected) = new ConditionalInnTraining(Options(epochs: 2), 10, seed: 3, null).Run(pixels, labels);
            using var _ = uninterrupted;

            var stopped = Options(epochs: 2, directory.Path);
            stopped.CheckpointEverySteps = 100;
            stopped.MaxTrainingTime = TimeSpan.FromMilliseconds(1);
            var (first, partial) = new ConditionalInnTraining(stopped, 10, seed: 3, null).Run(pixels, labels);
            first.Dispose();
            var reached = Assert.Single(partial).Step;
            Assert.InRange(reached, 0, 2); // inside the first epoch

            var log = new List<string>();
            var (resumed, history) = new ConditionalInnTraining(Options(epochs: 2, directory.Path), 10, seed: 3, log.Add).Run(pixels, labels);
            using (resumed)
            {
                Assert.Contains(log, l => l.StartsWith($"Conditional INN: resuming from step {reached} (epoch 1)", StringComparison.Ordinal));
                Assert.Equal(expected.Select(r => r with { ImagesPerSecond = 0 }), history.Select(r => r with { ImagesPerSecond = 0 }));
                AssertSameWeights(uninterrupted, resumed, expectEqual: true);
            }
        }
    }

    [Fact]
    public void ACheckpointOfAnotherRunIsRefused()
    {
        using var leaks = new LeakCheck();
        using var directory = new TempDirectory();
        var (pixels, labels) = Data(16);
        using (pixels)
        using (labels)
        {
            new ConditionalInnTraining(Options(epochs: 1, directory.Path), 10, seed: 3, null).Run(pixels, labels).Model.Dispose();
            var error = Assert.Throws<InvalidDataException>(() => new ConditionalInnTraining(Options(epochs: 1, directory.Path), 10, seed: 4, null).Run(pixels, labels));
            Assert.Contains("belongs to another run (seed 3, batch size 16, 16 training rows", error.Message);
        }
    }

    [Fact]
    public void ACosineRunResumedWithMoreEpochsIsRefusedAndAConstantOneIsNot()
    {
        using var leaks = new LeakCheck();
        using var cosine = new TempDirectory();
        using var constant = new TempDirectory();
        var (pixels, labels) = Data(32);
        using (pixels)
        using (labels)
        {
            new ConditionalInnTraining(Options(epochs: 1, cosine.Path, schedule: LearningRateSchedule.Cosine), 10, seed: 3, null).Run(pixels, labels).Model.Dispose();
            var error = Assert.Throws<InvalidDataException>(
                () => new ConditionalInnTraining(Options(epochs: 3, cosine.Path, schedule: LearningRateSchedule.Cosine), 10, seed: 3, null).Run(pixels, labels));
            Assert.Contains("warm-up 2 steps, Cosine schedule over 2 steps) than this one (seed 3, batch size 16, 32 training rows, learning rate 0.002, weight decay 1E-05, noise 0.005, warm-up 2 steps, Cosine schedule over 6 steps)", error.Message);

            new ConditionalInnTraining(Options(epochs: 1, constant.Path), 10, seed: 3, null).Run(pixels, labels).Model.Dispose();
            var (longer, history) = new ConditionalInnTraining(Options(epochs: 3, constant.Path), 10, seed: 3, null).Run(pixels, labels);
            longer.Dispose();
            Assert.Equal(3, history.Count);
        }
    }

    [Fact]
    public void WeightAveragingChangesTheReturnedModelAndCheckpointsMustAgreeOnIt()
    {
        using var leaks = new LeakCheck();
        using var directory = new TempDirectory();
        var (pixels, labels) = Data(32);
        using (pixels)
        using (labels)
        {
            var options = Options();
            options.WeightAveragingDecay = null;
            using var raw = new ConditionalInnTraining(options, 10, seed: 5, null).Run(pixels, labels).Model;
            options.WeightAveragingDecay = 0.999;
            options.CheckpointDirectory = directory.Path;
            var training = new ConditionalInnTraining(options, 10, seed: 5, null);
            var (averaged, history) = training.Run(pixels, labels, pixels, labels);
            using (averaged)
            {
                AssertSameWeights(raw, averaged, expectEqual: false);
                // The last epoch's validation figure is of the averaged weights, which are the model returned.
                Assert.Equal(history[^1].ValidationBitsPerDim, training.Evaluate(averaged, pixels, labels));
            }

            options.WeightAveragingDecay = null;
            var error = Assert.Throws<InvalidDataException>(() => new ConditionalInnTraining(options, 10, seed: 5, null).Run(pixels, labels));
            Assert.EndsWith("was trained with weight averaging, but the options ask for none; use another CheckpointDirectory or matching WeightAveragingDecay", error.Message);
            options.WeightAveragingDecay = 1;
            Assert.Equal("WeightAveragingDecay must be in (0, 1) when set, got 1", Assert.Throws<ArgumentException>(options.Validate).Message);
        }
    }

    [Fact]
    public void BadLabelsAreRefused()
    {
        using var leaks = new LeakCheck();
        var (pixels, labels) = Data(16);
        using (pixels)
        using (labels)
        {
            var training = new ConditionalInnTraining(Options(), 5, seed: 1, null);
            var error = Assert.Throws<ArgumentException>(() => training.Run(pixels, labels));
            Assert.StartsWith("training labels must be class indices in 0 … 4, got values from 0 to 9", error.Message);
        }
    }

    private const string ConditionalInnCheckpointFile = "cinn-checkpoint.safetensors";
}
