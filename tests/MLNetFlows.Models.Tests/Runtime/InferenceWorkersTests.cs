using MLNetFlows.Models.Runtime;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Tests.Runtime;

public sealed class InferenceWorkersTests
{
    [Fact]
    public void WorkersUseOneLibTorchThreadEachAndLeaveTheCallersCountAlone()
    {
        Assert.True(TorchThreads.CanSetPerThread);
        var before = get_num_threads();
        set_num_threads(2);
        try
        {
            var counts = new int[4];
            var threadIds = new int[4];
            InferenceWorkers.Run(4, piece =>
            {
                counts[piece] = get_num_threads();
                threadIds[piece] = Environment.CurrentManagedThreadId;
            });

            Assert.All(counts, count => Assert.Equal(1, count));
            Assert.DoesNotContain(Environment.CurrentManagedThreadId, threadIds);
            Assert.Equal(2, get_num_threads());
            Assert.Equal(2, InferenceWorkers.CallerThreads);
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void EveryPieceRunsOnceAndTheyRunAtTheSameTime()
    {
        var runs = new int[3];
        using var allStarted = new CountdownEvent(3);
        InferenceWorkers.Run(3, piece =>
        {
            Interlocked.Increment(ref runs[piece]);
            allStarted.Signal();
            Assert.True(allStarted.Wait(TimeSpan.FromSeconds(30)), "the pieces did not run at the same time");
        });

        Assert.Equal([1, 1, 1], runs);
    }

    [Fact]
    public void AFailingPieceIsRethrownAfterTheOthersFinish()
    {
        var finished = 0;
        var error = Assert.Throws<InvalidDataException>(() => InferenceWorkers.Run(3, piece =>
        {
            if (piece == 1)
            {
                throw new InvalidDataException("piece 1 failed");
            }

            Thread.Sleep(50);
            Interlocked.Increment(ref finished);
        }));

        Assert.Equal("piece 1 failed", error.Message);
        Assert.Equal(2, finished);
    }

    [Fact]
    public void ARunInsideAWorkerRunsItsPiecesInline()
    {
        var inner = new int[2][];
        InferenceWorkers.Run(2, outer =>
        {
            var worker = Environment.CurrentManagedThreadId;
            var ids = new int[2];
            InferenceWorkers.Run(2, piece => ids[piece] = Environment.CurrentManagedThreadId);
            inner[outer] = [worker, .. ids];
        });

        Assert.All(inner, ids => Assert.Equal([ids[0], ids[0], ids[0]], ids));
    }

    [Fact]
    public void AForwardPassInPiecesEqualsOneForwardPass()
    {
        manual_seed(3);
        using var convolution = TorchSharp.torch.nn.Conv2d(8, 16, 3, padding: 1);
        using var x = randn(64, 8, 12, 12);
        using var whole = convolution.forward(x);
        var pieces = new Tensor[4];
        using (new LeakCheck())
        {
            InferenceWorkers.Run(4, piece =>
            {
                using var inference = inference_mode();
                using var input = x.narrow(0, piece * 16, 16);
                pieces[piece] = convolution.forward(input);
            });
            using var joined = cat(pieces, 0);
            Assert.True(joined.allclose(whole, rtol: 1e-5, atol: 1e-5));
            foreach (var piece in pieces)
            {
                piece.Dispose();
            }
        }
    }
}
