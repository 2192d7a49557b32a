using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Reliability.Tests.Load;

/// <summary>
/// One fitted transformer used from 4 threads at once gives exactly the scores it gives on one thread: through
/// <c>Transform</c> and a cursor per thread, and through one <c>PredictionEngine</c> per thread, made with
/// <c>OwnsTransformer = false</c> (docs/reliability.md says what is and is not thread-safe). Every test runs rounds for a
/// few seconds while a side thread forces garbage collections and finalizers in a loop (<see cref="GcPressure"/>), so that
/// a managed object freed under a running native call (TorchSharp 0.107's temporary scalars) shows up as a failure here.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class ConcurrencyTests(TinyModel model, FittedGlow glow) : IClassFixture<FittedGlow>
{
    /// <summary>Rounds per test at most, and the time after which no new round starts.</summary>
    internal const int Rounds = 40;

    /// <summary>An engine made from a shared transformer must not dispose it (ML.NET's engines own their transformer by default).</summary>
    internal static readonly PredictionEngineOptions Shared = new() { OwnsTransformer = false };

    internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(4);

    [Fact]
    public void FourThreadsWithTheirOwnCursorsGetTheSingleThreadScores()
    {
        var reference = ReadColumn(glow.Transformer, glow.Test, GlowColumns.BitsPerDim);

        var (rounds, collections) = RaceRounds.Check(reference, () => ReadColumn(glow.Transformer, glow.Test, GlowColumns.BitsPerDim), Rounds, Budget, Assert.Equal);

        Assert.True(rounds >= 1 && collections >= 1, $"{rounds} rounds, {collections} forced collections");
    }

    [Fact]
    public void FourThreadsWithOnePredictionEngineEachGetTheSingleThreadScores()
    {
        var rows = glow.Context.Data.CreateEnumerable<ImageRow>(glow.Test, reuseRowObject: false).Take(64).ToArray();
        using var engine = glow.Context.Model.CreatePredictionEngine<ImageRow, Prediction>(glow.Transformer, Shared);
        var reference = rows.Select(r => engine.Predict(r).BitsPerDim).ToArray();

        var (rounds, collections) = RaceRounds.Check(reference, () =>
        {
            using var own = glow.Context.Model.CreatePredictionEngine<ImageRow, Prediction>(glow.Transformer, Shared);
            return rows.Select(r => own.Predict(r).BitsPerDim).ToArray();
        }, Rounds, Budget, Assert.Equal);

        Assert.True(rounds >= 1 && collections >= 1, $"{rounds} rounds, {collections} forced collections");
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

            var (rounds, collections) = RaceRounds.Check(reference, () => ReadColumn(detector, data, "Score"), Rounds, Budget, Assert.Equal);

            Assert.True(rounds >= 1 && collections >= 1, $"{rounds} rounds, {collections} forced collections");
        }
        finally
        {
            (detector as IDisposable)?.Dispose();
        }
    }

    /// <summary>Reads a float column of <paramref name="transformer"/>'s output through one cursor.</summary>
    internal static float[] ReadColumn(ITransformer transformer, IDataView data, string column)
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

    /// <summary>Reads a float-vector column of <paramref name="transformer"/>'s output through one cursor, rows concatenated.</summary>
    internal static float[] ReadVectorColumn(ITransformer transformer, IDataView data, string column)
    {
        var scored = transformer.Transform(data);
        using var cursor = scored.GetRowCursor([scored.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema[column]);
        var values = new List<float>();
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.AddRange(value.DenseValues());
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
