using Microsoft.ML;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Reliability.Tests.Load;

/// <summary>
/// A tiny <see cref="GlowTransformer"/> fitted in-process (128 Fashion-MNIST images, one epoch, L = 2, K = 1, 8 hidden
/// channels, scoring batches of <see cref="ScoringBatchSize"/> rows) and 256 test images to score.
/// </summary>
public sealed class FittedGlow : IDisposable
{
    public const int ScoringBatchSize = 8;

    public FittedGlow()
    {
        Context = new MLContext(1);
        var options = new Trainers.Glow.GlowTrainerOptions
        {
            ImageHeight = 28, ImageWidth = 28, Levels = 2, StepsPerLevel = 1, HiddenChannels = 8, NumberOfEpochs = 1, BatchSize = 32,
            Seed = 1, ValidationFraction = 0, ScoringBatchSize = ScoringBatchSize,
        };
        Transformer = Context.Transforms.Glow(options).Fit(Context.Data.LoadFashionMnist(FashionMnistSplit.Train, limit: 128));
        Test = Context.Data.Cache(Context.Data.LoadFashionMnist(FashionMnistSplit.Test, limit: 256));
    }

    public MLContext Context { get; }

    public GlowTransformer Transformer { get; }

    /// <summary>Gets 256 Fashion-MNIST test images (Features: Vector&lt;Single, 1, 28, 28&gt;).</summary>
    public IDataView Test { get; }

    public void Dispose() => Transformer.Dispose();
}
