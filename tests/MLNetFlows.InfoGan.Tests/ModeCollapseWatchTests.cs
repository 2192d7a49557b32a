using MLNetFlows.Models.InfoGan;
using MLNetFlows.Trainers.InfoGan;
using static TorchSharp.torch;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>
/// The signals of <see cref="ModeCollapseWatch"/> on deliberately broken models and losses (broken and default training
/// runs are in <see cref="InfoGanTrainingTests"/>).
/// </summary>
public sealed class ModeCollapseWatchTests
{
    private const double HealthyDiscriminatorLoss = 1.2;

    [Fact]
    public void ACodeQMapsToOneClassIsReportedAsACollapsedCategoricalCode()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96);
        using var model = new InfoGanModel(TinyTraining.Options().Architecture);
        // Q's categorical logits no longer depend on the image: class 0 always wins.
        Set(model.Discriminator, "q_out.weight", w => w.zero_());
        Set(model.Discriminator, "q_out.bias", b => b.copy_(tensor(new[] { 5f, 0f, 0f, 0f, 0f })));
        var watch = new ModeCollapseWatch(model.Architecture, seed: 5, CPU, pixels);

        var (entropy, variation, diagnosis) = watch.Check(model, epoch: 0, HealthyDiscriminatorLoss);

        Assert.Equal(0, entropy, 6);
        Assert.NotNull(diagnosis);
        Assert.StartsWith("mode collapse: categorical code 0 collapsed (Q's predicted classes over 256 generated images have normalised entropy 0.000, below 0.3", diagnosis, StringComparison.Ordinal);
        Assert.Contains("raise CategoricalWeight or lower DiscriminatorLearningRate", diagnosis, StringComparison.Ordinal);
        Assert.DoesNotContain("discriminator wins", diagnosis, StringComparison.Ordinal);
        Assert.True(model.training, "the watch leaves the model in the mode it found it in");
        Assert.True(variation > 0);
    }

    [Fact]
    public void AGeneratorThatIgnoresItsInputIsReportedAsSamplesThatStoppedVarying()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96);
        using var model = new InfoGanModel(TinyTraining.Options().Architecture);
        // The last up-convolution outputs 0 everywhere: every image is sigmoid(0) = 0.5 in every pixel.
        Set(model.Generator, "deconv2.weight", w => w.zero_());
        Set(model.Generator, "deconv2.bias", b => b.zero_());
        var watch = new ModeCollapseWatch(model.Architecture, seed: 5, CPU, pixels);

        var (_, variation, diagnosis) = watch.Check(model, epoch: 3, HealthyDiscriminatorLoss);

        Assert.Equal(0, variation, 6);
        Assert.NotNull(diagnosis);
        Assert.Contains("the samples stopped varying (their per-pixel spread is 0.000 of the training images', below 0.1); lower the learning rates, or restart with another Seed", diagnosis, StringComparison.Ordinal);
    }

    /// <summary>
    /// A discriminator whose mean loss fell to 0.01 (since D sees real and generated images in separate batches, the tiny
    /// training runs no longer get there within the tests' budget, so the signal is checked on the loss directly).
    /// </summary>
    [Fact]
    public void ADiscriminatorLossNearZeroIsReportedAsTheDiscriminatorWinningOutright()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96);
        using var model = new InfoGanModel(TinyTraining.Options().Architecture);
        var watch = new ModeCollapseWatch(model.Architecture, seed: 5, CPU, pixels);

        var (_, _, healthy) = watch.Check(model, epoch: 1, HealthyDiscriminatorLoss);
        var (_, _, diagnosis) = watch.Check(model, epoch: 1, discriminatorLoss: 0.01);

        Assert.DoesNotContain("discriminator wins", healthy ?? string.Empty, StringComparison.Ordinal);
        Assert.NotNull(diagnosis);
        Assert.StartsWith("mode collapse: the discriminator wins outright (its mean loss is 0.01, below 0.02), so the generator gets no useful gradient; lower DiscriminatorLearningRate or raise GeneratorLearningRate", diagnosis, StringComparison.Ordinal);
    }

    [Fact]
    public void WatchingIsRepeatableAndChangesNeitherTheWeightsNorTheStatistics()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96);
        using var model = new InfoGanModel(TinyTraining.Options().Architecture);
        var watch = new ModeCollapseWatch(model.Architecture, seed: 5, CPU, pixels);
        using var scope = NewDisposeScope();
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());

        var first = watch.Check(model, epoch: 2, HealthyDiscriminatorLoss);
        var again = watch.Check(model, epoch: 2, HealthyDiscriminatorLoss);

        Assert.Equal(first, again);
        Assert.All(model.state_dict(), p => Assert.True(p.Value.eq(before[p.Key]).all().item<bool>(), $"'{p.Key}' changed"));
    }

    private static void Set(TorchSharp.torch.nn.Module module, string name, Action<Tensor> change)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parameter = module.named_parameters().Single(p => p.name == name).parameter;
        change(parameter);
    }
}
