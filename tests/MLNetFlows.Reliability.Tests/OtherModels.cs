using Microsoft.ML;
using MLNetFlows.Estimators.InfoGan;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Reliability.Tests;

/// <summary>
/// A tiny conditional INN and a tiny InfoGAN, fitted once in-process on 64 Fashion-MNIST images (28×28, one epoch, a
/// few seconds each) and saved as model zips, for the tests that fuzz and load the other model kinds (a fixture of
/// <see cref="TinyModelCollection"/>). Both score
/// <see cref="TinyModel.Rows"/>.
/// </summary>
public sealed class OtherModels
{
    public OtherModels()
    {
        ConditionalInn = FitConditionalInn();
        InfoGan = FitInfoGan();
    }

    /// <summary>Gets the conditional INN's model zip (L = 2, one block per level, 8 hidden channels, 10 classes).</summary>
    public byte[] ConditionalInn { get; }

    /// <summary>Gets the InfoGAN's model zip (one 3-way categorical and 2 continuous codes, 16 hidden units).</summary>
    public byte[] InfoGan { get; }

    /// <summary>The model zip of <paramref name="kind"/>: "glow" (<paramref name="glow"/>), "cinn" or "infogan".</summary>
    public byte[] Of(string kind, TinyModel glow) => kind switch
    {
        "glow" => glow.Bytes,
        "cinn" => ConditionalInn,
        "infogan" => InfoGan,
        _ => throw new ArgumentException($"unknown model kind '{kind}': expected glow, cinn or infogan", nameof(kind)),
    };

    /// <remarks>
    /// The paper's N(0, I) prior, not the class-conditional default: the replayed mutations (seeds that once hung or
    /// exhausted memory) were found on this file's layout, and a class prior adds entries that move their targets.
    /// </remarks>
    internal static ConditionalInnTrainerOptions ConditionalInnOptions() => new()
    {
        ImageHeight = 28, ImageWidth = 28, NumberOfClasses = 10, Levels = 2, BlocksPerLevel = 1, HiddenChannels = 8,
        BatchSize = 16, NumberOfEpochs = 1, ValidationFraction = 0, ScoringBatchSize = 8, Seed = 1, LatentPrior = LatentPrior.StandardNormal,
    };

    internal static InfoGanEstimator.Options InfoGanOptions() => new()
    {
        Channels = 1, ImageHeight = 28, ImageWidth = 28, NoiseSize = 4, CategoryCounts = [3], ContinuousCodes = 2, HiddenUnits = 16,
        ConvolutionChannels = 4, RecognitionUnits = 8, BatchSize = 16, NumberOfEpochs = 1, Seed = 5, InferenceBatchSize = 8,
    };

    /// <summary>Fits the tiny conditional INN and returns its model zip.</summary>
    internal static byte[] FitConditionalInn()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFashionMnist(FashionMnistSplit.Train, limit: 64);
        using var model = ml.Transforms.ConditionalInn(ConditionalInnOptions()).Fit(train);
        return Save(ml, model, train);
    }

    /// <summary>Fits the tiny InfoGAN and returns its model zip.</summary>
    internal static byte[] FitInfoGan()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFashionMnist(FashionMnistSplit.Train, limit: 64);
        using var model = ml.Transforms.InfoGan(InfoGanOptions()).Fit(train);
        return Save(ml, model, train);
    }

    private static byte[] Save(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }
}
