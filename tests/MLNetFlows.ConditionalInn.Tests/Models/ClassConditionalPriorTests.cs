using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Tests;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.ConditionalInn.Tests.Models;

public sealed class ClassConditionalPriorTests
{
    private static ConditionalInnArchitecture Tiny(LatentPrior prior) => new()
    {
        Channels = 1, Height = 4, Width = 4, Levels = 2, BlocksPerLevel = 2, HiddenChannels = 8, NumberOfClasses = 3, Prior = prior,
    };

    [Fact]
    public void TheLogDensityIsTheClassGaussianOfTheLatentPlusTheLogDet()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var model = new ConditionalInnModel(Tiny(LatentPrior.ClassGaussian));
        var x = randn(4, 1, 4, 4, ScalarType.Float64);
        var labels = tensor(new long[] { 0, 2, 1, 2 });
        BlockHarness.Randomize(model, x, null, scale: 0.3);
        var (mean, logStd) = Tables(model);
        Assert.True(mean.abs().max().item<double>() > 0.1 && logStd.abs().max().item<double>() > 0.1, "the tables must be away from N(0, I) for the check to mean anything");

        using var density = model.Evaluate(x, labels, keepLatent: true);
        var (mu, s) = (mean.index_select(0, labels), logStd.index_select(0, labels));
        var standardized = (density.Latent! - mu) * (-s).exp();
        var expected = ((standardized.square() + Math.Log(2 * Math.PI)) * -0.5 - s).sum(1) + density.LogDet;
        BlockHarness.AssertClose(expected, density.LogDensity, 1e-9, "log p(x | c) = log N(z; μ_c, σ_c²) + log-det");
        BlockHarness.AssertClose(x, model.Decode(density.Latent!, labels), 1e-9, "decode(encode(x))");

        var perClass = model.LogDensityPerClass(x);
        for (var c = 0; c < 3; c++)
        {
            using var underClass = model.Evaluate(x, full(4, c, ScalarType.Int64));
            BlockHarness.AssertClose(underClass.LogDensity, perClass.select(1, c), 1e-9, $"per-class column {c}");
        }
    }

    [Fact]
    public void AFreshClassPriorIsTheStandardNormalAndSamplesDecodeFromTheClassMean()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        var x = randn(3, 1, 4, 4, ScalarType.Float64);
        var labels = tensor(new long[] { 0, 1, 2 });
        manual_seed(22);
        using var standard = new ConditionalInnModel(Tiny(LatentPrior.StandardNormal));
        manual_seed(22);
        using var classPrior = new ConditionalInnModel(Tiny(LatentPrior.ClassGaussian));
        standard.to(ScalarType.Float64);
        classPrior.to(ScalarType.Float64);
        using (var a = standard.Evaluate(x, labels))
        using (var b = classPrior.Evaluate(x, labels))
        {
            BlockHarness.AssertClose(a.LogDensity, b.LogDensity, 1e-12, "zero tables are N(0, I)");
        }

        BlockHarness.Randomize(classPrior, x, null, scale: 0.3);
        var (mean, logStd) = Tables(classPrior);
        using var atTheMean = classPrior.Evaluate(classPrior.Sample(labels, temperature: 0), labels, keepLatent: true);
        BlockHarness.AssertClose(mean, atTheMean.Latent!, 1e-9, "temperature 0 decodes z = μ_c");

        var noise = randn(3, 16, ScalarType.Float64);
        BlockHarness.AssertClose(mean + (logStd.exp() * noise), classPrior.FromStandardLatent(noise, labels), 1e-12, "z = μ_c + σ_c·ε");
        BlockHarness.AssertClose(noise, standard.FromStandardLatent(noise, labels), 0, "the standard normal prior keeps ε");
    }

    [Fact]
    public void OnlyClassConditionsTakeTheClassPrior()
    {
        var architecture = new ConditionalInnArchitecture
        {
            Channels = 2, Height = 8, Width = 8, Condition = ConditionKind.Image, ConditionImageChannels = 1, Prior = LatentPrior.ClassGaussian,
        };
        var error = Assert.Throws<ArgumentException>(architecture.Validate);
        Assert.Equal("the ClassGaussian prior needs a class condition; an image-conditioned network takes the StandardNormal prior", error.Message);
    }

    private static (Tensor Mean, Tensor LogStd) Tables(ConditionalInnModel model)
    {
        var state = model.state_dict();
        return (state["prior.mean"], state["prior.log_std"]);
    }
}
