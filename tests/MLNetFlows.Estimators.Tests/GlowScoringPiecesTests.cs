using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Glow;
using TorchSharp;

namespace MLNetFlows.Estimators.Tests;

public sealed class GlowScoringPiecesTests
{
    [Fact]
    public void ABatchScoredInPiecesOnTheWorkersEqualsOneForwardPassWithoutLeaks()
    {
        var ml = new MLContext(4);
        var data = FashionMnistRows.View(ml, FashionMnistRows.Load(96));
        using var model = ml.Transforms.Glow(GlowTrainerTests.Tiny()).Fit(data);
        var wide = new GlowTransformer(model.Network, model.FeatureColumnName, outputLatent: true, scoringBatchSize: 96, []); // shares model's weights
        var before = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            var whole = Score(ml, wide, data);
            torch.set_num_threads(3); // 96 rows → 3 pieces of 32 on the inference workers
            Scored[] pieces;
            using (new LeakCheck())
            {
                pieces = Score(ml, wide, data);
            }

            Assert.Equal(whole.Length, pieces.Length);
            for (var i = 0; i < whole.Length; i++)
            {
                Assert.Equal(whole[i].LogLikelihood, pieces[i].LogLikelihood, 1e-3f);
                Assert.Equal(whole[i].LevelBitsPerDim, pieces[i].LevelBitsPerDim, (a, b) => Math.Abs(a - b) < 1e-5);
                Assert.Equal(whole[i].Latent, pieces[i].Latent, (a, b) => Math.Abs(a - b) < 1e-4);
            }
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }

    [Fact]
    public void PiecesScoreTheSameWhileAnotherThreadForcesGarbageCollections()
    {
        // TorchSharp frees a temporary Scalar from its finalizer: a collection during a native call that reads one would
        // corrupt the call. The models take their scalars from Scalars; this hammers the collector while pieces run.
        var ml = new MLContext(5);
        var data = FashionMnistRows.View(ml, FashionMnistRows.Load(96));
        using var model = ml.Transforms.Glow(GlowTrainerTests.Tiny()).Fit(data);
        var wide = new GlowTransformer(model.Network, model.FeatureColumnName, outputLatent: true, scoringBatchSize: 96, []);
        var before = torch.get_num_threads();
        using var stop = new CancellationTokenSource();
        var collections = 0;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = new byte[1 << 16];
                GC.Collect();
                GC.WaitForPendingFinalizers();
                collections++;
            }
        });
        collector.Start();
        try
        {
            torch.set_num_threads(1);
            var whole = Score(ml, wide, data);
            torch.set_num_threads(3);
            for (var round = 0; round < 10; round++)
            {
                var pieces = Score(ml, wide, data);
                Assert.Equal(whole.Select(r => r.LogLikelihood), pieces.Select(r => r.LogLikelihood), (a, b) => Math.Abs(a - b) < 1e-3);
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
            torch.set_num_threads(before);
        }

        Assert.True(collections > 10, $"only {collections} collections ran during the scoring");
    }

    private static Scored[] Score(MLContext ml, ITransformer transformer, IDataView data) =>
        ml.Data.CreateEnumerable<Scored>(transformer.Transform(data), reuseRowObject: false).ToArray();

    private sealed class Scored
    {
        public float LogLikelihood { get; set; }

        [VectorType(2)]
        public float[] LevelBitsPerDim { get; set; } = [];

        [VectorType(784)]
        public float[] Latent { get; set; } = [];
    }
}
