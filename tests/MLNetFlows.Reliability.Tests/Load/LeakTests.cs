using Microsoft.ML;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Reliability.Tests.Load;

/// <summary>1 000 scoring batches (and a pass of prediction-engine calls) leave no native tensor alive.</summary>
public sealed class LeakTests(FittedGlow glow) : IClassFixture<FittedGlow>
{
    [Fact]
    public void AThousandScoringBatchesLeaveNoLiveTensors()
    {
        var rows = glow.Context.Data.TakeRows(glow.Test, 250);
        var passes = 1000 / (250 / FittedGlow.ScoringBatchSize + 1);
        long batches = 0;

        using (new LeakCheck())
        {
            for (var pass = 0; pass <= passes; pass++)
            {
                var scored = glow.Transformer.Transform(rows);
                using var cursor = scored.GetRowCursor([scored.Schema[GlowColumns.BitsPerDim]]);
                var bits = cursor.GetGetter<float>(scored.Schema[GlowColumns.BitsPerDim]);
                float value = 0;
                var row = 0;
                while (cursor.MoveNext())
                {
                    bits(ref value);
                    Assert.True(float.IsFinite(value));
                    batches += row++ % FittedGlow.ScoringBatchSize == 0 ? 1 : 0;
                }
            }
        }

        Assert.True(batches >= 1000, $"only {batches} batches were scored");
    }

    [Fact]
    public void PredictionEngineCallsLeaveNoLiveTensors()
    {
        var rows = glow.Context.Data.CreateEnumerable<ConcurrencyTests.ImageRow>(glow.Context.Data.TakeRows(glow.Test, 200), reuseRowObject: false).ToArray();

        using (new LeakCheck())
        {
            using var engine = glow.Context.Model.CreatePredictionEngine<ConcurrencyTests.ImageRow, ConcurrencyTests.Prediction>(glow.Transformer, ConcurrencyTests.Shared);
            foreach (var row in rows)
            {
                Assert.True(float.IsFinite(engine.Predict(row).BitsPerDim));
            }
        }
    }

    /// <summary>
    /// With 2 libtorch threads a batch of 16+ rows is scored in pieces on inference worker threads, whose tensors the
    /// per-thread <see cref="LeakCheck"/> does not see: counted process-wide here.
    /// </summary>
    [Fact]
    public void ScoringOnInferenceWorkersLeavesNoLiveTensors()
    {
        using var threads = new TorchThreads(2);
        var ml = new MLContext(0);
        var rows = ml.Data.Cache(ml.Data.LoadFromEnumerable(Enumerable.Range(0, 64).Select(i => new TinyModel.Row { Features = Enumerable.Repeat(i * 3f, 784).ToArray() })));
        var options = new Trainers.Glow.GlowTrainerOptions
        {
            ImageHeight = 28, ImageWidth = 28, Levels = 2, StepsPerLevel = 1, HiddenChannels = 8, NumberOfEpochs = 1, BatchSize = 32, Seed = 1,
            ValidationFraction = 0, ScoringBatchSize = 64,
        };
        using var transformer = ml.Transforms.Glow(options).Fit(rows);
        Score(transformer, rows);
        var before = TorchSharp.torch.Tensor.TotalCount;

        for (var pass = 0; pass < 50; pass++)
        {
            Score(transformer, rows);
        }

        Assert.Equal(before, TorchSharp.torch.Tensor.TotalCount);
    }

    private static void Score(GlowTransformer transformer, IDataView rows)
    {
        var scored = transformer.Transform(rows);
        using var cursor = scored.GetRowCursor([scored.Schema[GlowColumns.BitsPerDim]]);
        var bits = cursor.GetGetter<float>(scored.Schema[GlowColumns.BitsPerDim]);
        float value = 0;
        while (cursor.MoveNext())
        {
            bits(ref value);
            Assert.True(float.IsFinite(value));
        }
    }
}
