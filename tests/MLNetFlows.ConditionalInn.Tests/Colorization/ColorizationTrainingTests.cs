using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers.Cinn;
using static TorchSharp.torch;

namespace MLNetFlows.ConditionalInn.Tests.Colorization;

public sealed class ColorizationTrainingTests
{
    private const string CheckpointFile = "cinn-checkpoint.safetensors";

    private static ConditionalInnTrainerOptions Options(int epochs, string? checkpoints = null, CancellationToken cancellation = default)
    {
        var options = ColorizationRows.Options(epochs);
        options.CheckpointDirectory = checkpoints;
        options.CheckpointEverySteps = 2;
        options.CancellationToken = cancellation;
        return options;
    }

    private static (Tensor Chroma, Tensor Gray) Data(int count)
    {
        var rows = ColorizationRows.Load(count);
        var side = ColorizationRows.Side;
        var chroma = rows.SelectMany(r => r.Features.Select(v => (byte)MathF.Round(v))).ToArray();
        var gray = rows.SelectMany(r => r.Condition).ToArray();
        return (tensor(chroma, [count, 2, side, side], ScalarType.Byte), tensor(gray, [count, 1, side, side]));
    }

    private static bool SameWeights(ConditionalInnModel a, ConditionalInnModel b)
    {
        using var scope = NewDisposeScope();
        var stateB = b.state_dict();
        return a.state_dict().All(p => p.Value.eq(stateB[p.Key]).all().item<bool>());
    }

    [Fact]
    public void ResumedRunEqualsUninterruptedRun()
    {
        using var leaks = new LeakCheck();
        using var directory = new TempDirectory();
        var (chroma, gray) = Data(24);
        using (chroma)
        using (gray)
        {
            using var uninterrupted = new ConditionalInnTraining(Options(epochs: 2), 0, seed: 3, null).Run(chroma, gray).Model;

            using var cancellation = new CancellationTokenSource();
            var interrupted = Options(epochs: 2, directory.Path, cancellation.Token);
            interrupted.StepCallback = r =>
            {
                if (r.Step == 4)
                {
                    cancellation.Cancel(); // mid-epoch 2 (3 batches per epoch), between checkpoints
                }
            };
            Assert.Throws<OperationCanceledException>(() => new ConditionalInnTraining(interrupted, 0, seed: 3, null).Run(chroma, gray));
            Assert.True(File.Exists(Path.Combine(directory.Path, CheckpointFile)));

            var log = new List<string>();
            var (resumed, history) = new ConditionalInnTraining(Options(epochs: 2, directory.Path), 0, seed: 3, log.Add).Run(chroma, gray);
            using (resumed)
            {
                Assert.Contains(log, l => l.StartsWith("Conditional INN: resuming from step 4 (epoch 2)", StringComparison.Ordinal));
                Assert.Equal(2, history.Count);
                Assert.True(SameWeights(uninterrupted, resumed), "the resumed run must end with the uninterrupted run's weights");
            }
        }
    }

    [Fact]
    public void SameSeedGivesTheSameWeightsAndAnotherSeedOthers()
    {
        using var leaks = new LeakCheck();
        var (chroma, gray) = Data(16);
        using (chroma)
        using (gray)
        {
            using var a = new ConditionalInnTraining(Options(epochs: 1), 0, seed: 5, null).Run(chroma, gray).Model;
            using var b = new ConditionalInnTraining(Options(epochs: 1), 0, seed: 5, null).Run(chroma, gray).Model;
            using var c = new ConditionalInnTraining(Options(epochs: 1), 0, seed: 6, null).Run(chroma, gray).Model;
            Assert.True(SameWeights(a, b), "the same seed must give the same weights");
            Assert.False(SameWeights(a, c), "another seed must give other weights");
            Assert.Equal(ConditionKind.Image, a.Architecture.Condition);
        }
    }

    [Fact]
    public void BadConditionImagesAreRefused()
    {
        using var leaks = new LeakCheck();
        var (chroma, gray) = Data(8);
        using (chroma)
        using (gray)
        using (var labels = zeros(8, ScalarType.Int64))
        {
            var training = new ConditionalInnTraining(Options(epochs: 1), 0, seed: 1, null);
            var error = Assert.Throws<ArgumentException>(() => training.Run(chroma, labels));
            Assert.Equal("training condition images must be UInt8 or Float32 pixel values of shape [8, 1, 8, 8] (one per image), got Int64 [8]", error.Message);
        }
    }

    [Fact]
    public void ACheckpointOfAClassConditionalRunIsRefused()
    {
        using var leaks = new LeakCheck();
        using var directory = new TempDirectory();
        var (chroma, gray) = Data(8);
        using (chroma)
        using (gray)
        {
            new ConditionalInnTraining(Options(epochs: 1, directory.Path), 0, seed: 1, null).Run(chroma, gray).Model.Dispose();
            var classOptions = Options(epochs: 1, directory.Path);
            classOptions.Condition = ConditionKind.Class;
            using var labels = zeros(8, ScalarType.Int64);
            using var pixels = ones(8, 2, 8, 8, ScalarType.Byte);
            var error = Assert.Throws<InvalidDataException>(() => new ConditionalInnTraining(classOptions, 2, seed: 1, null).Run(pixels, labels));
            Assert.Contains("was trained with architecture", error.Message);
            Assert.Contains("\"Condition\":\"Image\"", error.Message);
        }
    }
}
