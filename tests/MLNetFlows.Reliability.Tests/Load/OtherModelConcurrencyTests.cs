using Microsoft.ML;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Estimators.InfoGan;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Reliability.Tests.Load;

/// <summary>
/// The conditional INN and InfoGAN transformers, each fitted tiny in-process, used from 4 threads at once under forced
/// garbage collections (<see cref="RaceRounds"/>) give exactly their single-thread outputs, and so do the same
/// transformers after a save and load.
/// </summary>
public sealed class OtherModelConcurrencyTests
{
    [Fact]
    public void AConditionalInnScoresTheSameFromFourThreads()
    {
        var ml = new MLContext(1);
        ml.ComponentCatalog.RegisterMLNetFlows();
        using var transformer = ml.Transforms.ConditionalInn(OtherModels.ConditionalInnOptions()).Fit(ml.Data.LoadFashionMnist(FashionMnistSplit.Train, limit: 64));
        var test = ml.Data.Cache(ml.Data.LoadFashionMnist(FashionMnistSplit.Test, limit: 64));
        float[] Read(ITransformer t) => [.. ConcurrencyTests.ReadColumn(t, test, ConditionalInnColumns.BitsPerDim), .. ConcurrencyTests.ReadVectorColumn(t, test, ConditionalInnColumns.Score)];

        CheckFromFourThreads(ml, transformer, Read);
    }

    [Fact]
    public void AnInfoGanInfersTheSameCodesFromFourThreads()
    {
        var ml = new MLContext(1);
        ml.ComponentCatalog.RegisterMLNetFlows();
        using var transformer = ml.Transforms.InfoGan(OtherModels.InfoGanOptions()).Fit(ml.Data.LoadFashionMnist(FashionMnistSplit.Train, limit: 64));
        var test = ml.Data.Cache(ml.Data.LoadFashionMnist(FashionMnistSplit.Test, limit: 64));
        float[] Read(ITransformer t) =>
            [.. ConcurrencyTests.ReadVectorColumn(t, test, InfoGanColumns.Continuous), .. ConcurrencyTests.ReadVectorColumn(t, test, InfoGanColumns.Category + InfoGanColumns.ProbabilitiesSuffix)];

        CheckFromFourThreads(ml, transformer, Read);
    }

    /// <summary>Four threads on <paramref name="transformer"/>, then on a saved and reloaded copy, all equal to one thread's reading.</summary>
    private static void CheckFromFourThreads(MLContext ml, ITransformer transformer, Func<ITransformer, float[]> read)
    {
        var reference = read(transformer);
        var (rounds, collections) = RaceRounds.Check(reference, () => read(transformer), ConcurrencyTests.Rounds, ConcurrencyTests.Budget / 2, Assert.Equal);
        Assert.True(rounds >= 1 && collections >= 1, $"{rounds} rounds, {collections} forced collections");

        using var saved = new MemoryStream();
        ml.Model.Save(transformer, null, saved);
        saved.Position = 0;
        var loaded = ml.Model.Load(saved, out _);
        try
        {
            Assert.Equal(reference, read(loaded));
            RaceRounds.Check(reference, () => read(loaded), ConcurrencyTests.Rounds, ConcurrencyTests.Budget / 2, Assert.Equal);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }
}
