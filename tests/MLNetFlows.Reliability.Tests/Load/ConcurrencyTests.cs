using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Reliability.Tests.Load;

/// <summary>
/// One fitted transformer used from 4 threads at once gives exactly the scores it gives on one thread: through
/// <c>Transform</c> and a cursor per thread, and through one <c>PredictionEngine</c> per thread, made with
/// <c>OwnsTransformer = false</c> (docs/reliability.md says what is and is not thread-safe).
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class ConcurrencyTests(TinyModel model, FittedGlow glow) : IClassFixture<FittedGlow>
{
    private const int Threads = 4;
    private const int Passes = 3;

    /// <summary>An engine made from a shared transformer must not dispose it (ML.NET's engines own their transformer by default).</summary>
    internal static readonly PredictionEngineOptions Shared = new() { OwnsTransformer = false };

    [Fact]
    public void FourThreadsWithTheirOwnCursorsGetTheSingleThreadScores()
    {
        var reference = ReadScores(glow.Transformer, glow.Test);

        var results = OnThreads(() => Enumerable.Range(0, Passes).Select(_ => ReadScores(glow.Transformer, glow.Test)).ToArray());

        Assert.All(results.SelectMany(r => r), scores => Assert.Equal(reference, scores));
    }

    [Fact]
    public void FourThreadsWithOnePredictionEngineEachGetTheSingleThreadScores()
    {
        var rows = glow.Context.Data.CreateEnumerable<ImageRow>(glow.Test, reuseRowObject: false).ToArray();
        using (var engine = glow.Context.Model.CreatePredictionEngine<ImageRow, Prediction>(glow.Transformer, Shared))
        {
            var reference = rows.Select(r => engine.Predict(r).BitsPerDim).ToArray();

            var results = OnThreads(() =>
            {
                using var own = glow.Context.Model.CreatePredictionEngine<ImageRow, Prediction>(glow.Transformer, Shared);
                return Enumerable.Range(0, Passes).SelectMany(_ => rows.Select(r => own.Predict(r).BitsPerDim)).ToArray();
            });

            Assert.All(results, scores => Assert.Equal([.. Enumerable.Repeat(reference, Passes).SelectMany(s => s)], scores));
        }
    }

    /// <summary>With 2 libtorch threads, batches of 16+ rows are split over MLNetFlows' inference workers as well.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ALoadedAnomalyDetectorScoresTheSameFromFourThreads(int torchThreads)
    {
        using var threads = new TorchThreads(torchThreads);
        var ml = new MLContext(0);
        ml.ComponentCatalog.RegisterMLNetFlows();
        var detector = ml.Model.Load(model.Path, out _);
        try
        {
            var data = ml.Data.Cache(ml.Data.LoadFashionMnist(Transforms.Datasets.FashionMnistSplit.Test, limit: 256));
            var reference = ReadColumn(detector, data, "Score");

            var results = OnThreads(() => ReadColumn(detector, data, "Score"));

            Assert.All(results, scores => Assert.Equal(reference, scores));
        }
        finally
        {
            (detector as IDisposable)?.Dispose();
        }
    }

    /// <summary>Runs <paramref name="work"/> on <see cref="Threads"/> threads released at once; rethrows the first failure.</summary>
    private static T[] OnThreads<T>(Func<T> work)
    {
        using var start = new Barrier(Threads);
        var tasks = Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return work();
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(Task.WaitAll(tasks, TimeSpan.FromMinutes(2)), "the threads did not finish in 2 minutes (deadlock?)");
        return [.. tasks.Select(t => t.Result)];
    }

    private static float[] ReadScores(GlowTransformer transformer, IDataView data) => ReadColumn(transformer, data, GlowColumns.BitsPerDim);

    private static float[] ReadColumn(ITransformer transformer, IDataView data, string column)
    {
        var scored = transformer.Transform(data);
        using var cursor = scored.GetRowCursor([scored.Schema[column]]);
        var getter = cursor.GetGetter<float>(scored.Schema[column]);
        var values = new List<float>();
        float value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(value);
        }

        return [.. values];
    }

    public sealed class ImageRow
    {
        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }

    public sealed class Prediction
    {
        public float BitsPerDim { get; set; }
    }
}
