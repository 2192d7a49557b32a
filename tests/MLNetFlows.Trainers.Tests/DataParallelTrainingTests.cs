using MLNetFlows.Models.Glow;
using MLNetFlows.Trainers.Glow;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Trainers.Tests;

/// <summary>Training steps cut into pieces on the inference workers (<see cref="DataParallelBackward"/>).</summary>
public sealed class DataParallelTrainingTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void GradientsSummedOverPiecesEqualTheGradientsOfOnePass()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(7);
        var options = GlowTrainingTests.TinyOptions();
        using var model = new GlowModel(options.Architecture);
        var pixels = FashionMnistPixels.Load(64).to(float32);
        var x = GlowInput.Prepare(pixels, 8, options.Architecture.Height, options.Architecture.Width, dequantize: true);
        Tensor BitsPerDim(Tensor input) => GlowInput.BitsPerDim(model.Evaluate(input).LogDensity, options.Architecture.Dimensions, 784, 8);
        BitsPerDim(x); // ActNorm's initialisation
        var parameters = model.parameters().ToList();

        var loss = BitsPerDim(x).mean();
        loss.backward();
        var whole = parameters.Select(p => p.grad!.clone()).ToArray();
        foreach (var p in parameters)
        {
            p.grad!.zero_();
        }

        var value = DataParallelBackward.Run(parameters, 4, piece =>
        {
            var (start, rows) = DataParallelBackward.Slice(64, 4, piece);
            return BitsPerDim(x.narrow(0, start, rows)).sum() / 64;
        });

        Assert.Equal(loss.item<float>(), value, 1e-4);
        Assert.Contains(whole, g => g.abs().max().item<float>() > 1e-3); // the comparison below is not of zeros
        for (var i = 0; i < parameters.Count; i++)
        {
            Assert.True(parameters[i].grad!.allclose(whole[i], rtol: 1e-3, atol: 1e-5), $"gradient {i} differs by up to {(parameters[i].grad! - whole[i]).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void TrainingInPiecesIsReproducibleAndResumesExactly()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(128); // 4 batches of 32 per epoch: 2 pieces of 16 on 2 threads
        var threads = get_num_threads();
        set_num_threads(2);
        try
        {
            Assert.Equal(2, DataParallelBackward.Pieces(32, CPU));
            using var first = new GlowTraining(GlowTrainingTests.TinyOptions(), 5, null).Run(train, null).Model;
            using var second = new GlowTraining(GlowTrainingTests.TinyOptions(), 5, null).Run(train, null).Model;
            Assert.Equal(GlowTrainingTests.Weights(first), GlowTrainingTests.Weights(second));

            using var cancellation = new CancellationTokenSource();
            var interrupted = GlowTrainingTests.TinyOptions();
            interrupted.CheckpointDirectory = _directory.Path;
            interrupted.CheckpointEverySteps = 100;
            interrupted.CancellationToken = cancellation.Token;
            interrupted.StepCallback = report =>
            {
                if (report.Step == 5)
                {
                    cancellation.Cancel();
                }
            };
            Assert.Throws<OperationCanceledException>(() => new GlowTraining(interrupted, 5, null).Run(train, null));
            var resumed = GlowTrainingTests.TinyOptions();
            resumed.CheckpointDirectory = _directory.Path;
            using var model = new GlowTraining(resumed, 5, null).Run(train, null).Model;
            Assert.Equal(GlowTrainingTests.Weights(first), GlowTrainingTests.Weights(model));
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
