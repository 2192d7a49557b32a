using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Tests;
using static TorchSharp.torch;

namespace MLNetFlows.ConditionalInn.Tests.Models;

public sealed class ConditionalInnModelTests
{
    private static ConditionalInnArchitecture Tiny(ClassEncoding encoding = ClassEncoding.OneHot, DownsamplingKind downsampling = DownsamplingKind.Haar) => new()
    {
        Channels = 1, Height = 4, Width = 4, Levels = 2, BlocksPerLevel = 2, HiddenChannels = 8,
        NumberOfClasses = 3, ClassEncoding = encoding, EmbeddingDimension = 2, Downsampling = downsampling,
    };

    [Theory]
    [InlineData(ClassEncoding.OneHot, DownsamplingKind.Haar)]
    [InlineData(ClassEncoding.Embedding, DownsamplingKind.Squeeze)]
    public void LogDetMatchesTheNumericalJacobianAndDecodeInvertsEncode(ClassEncoding encoding, DownsamplingKind downsampling)
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var model = new ConditionalInnModel(Tiny(encoding, downsampling));
        var x = randn(2, 1, 4, 4, ScalarType.Float64);
        var labels = tensor(new long[] { 0, 2 });
        BlockHarness.Randomize(model, x, null);
        using var density = model.Evaluate(x, labels, keepLatent: true);
        BlockHarness.AssertClose(x, model.Decode(density.Latent!, labels), 1e-9, "decode(encode(x))");
        for (var i = 0; i < 2; i++)
        {
            var label = labels.narrow(0, i, 1);
            var numerical = BlockHarness.NumericalLogAbsDet(batch => model.Evaluate(batch, label.expand(batch.size(0)), keepLatent: true).Latent!, x.narrow(0, i, 1));
            Assert.True(Math.Abs(numerical - density.LogDet[i].item<double>()) < 1e-5, $"sample {i}: analytic {density.LogDet[i].item<double>()} vs numerical {numerical}");
        }

        // log p(x|c) = log N(z; 0, I) + log-det.
        var z = density.Latent!;
        var prior = ((z.square() + Math.Log(2 * Math.PI)) * -0.5).sum(1);
        BlockHarness.AssertClose(prior + density.LogDet, density.LogDensity, 1e-9, "log-density = prior + log-det");
    }

    [Fact]
    public void ChangingTheClassChangesTheLatentAndTheDensity()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(8);
        using var model = new ConditionalInnModel(Tiny());
        var x = randn(3, 1, 4, 4, ScalarType.Float64);
        BlockHarness.Randomize(model, x, null);
        var perClass = model.LogDensityPerClass(x);
        Assert.Equal(new long[] { 3, 3 }, perClass.shape);
        for (var c = 0; c < 3; c++)
        {
            using var density = model.Evaluate(x, full(3, c, ScalarType.Int64), keepLatent: true);
            BlockHarness.AssertClose(density.LogDensity, perClass.select(1, c), 1e-9, $"per-class column {c}");
        }

        using var first = model.Evaluate(x, zeros(3, ScalarType.Int64), keepLatent: true);
        using var second = model.Evaluate(x, ones(3, ScalarType.Int64), keepLatent: true);
        Assert.True((first.Latent! - second.Latent!).abs().max().item<double>() > 1e-3, "the latent must depend on the class");
    }

    [Fact]
    public void ImageConditionReachesEveryScale()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(9);
        var architecture = new ConditionalInnArchitecture
        {
            Channels = 2, Height = 8, Width = 8, Levels = 2, BlocksPerLevel = 1, HiddenChannels = 8,
            Condition = ConditionKind.Image, ConditionImageChannels = 1, ConditionFeatureChannels = 4,
        };
        using var model = new ConditionalInnModel(architecture);
        var x = randn(2, 2, 8, 8, ScalarType.Float64);
        var gray = randn(2, 1, 8, 8, ScalarType.Float64);
        BlockHarness.Randomize(model, x, null);
        var maps = model.ConditionEncoder.Encode(gray, x);
        Assert.Equal(new long[] { 2, 4, 4, 4 }, maps[0].shape);
        Assert.Equal(new long[] { 2, 4, 2, 2 }, maps[1].shape);
        using var density = model.Evaluate(x, gray, keepLatent: true);
        BlockHarness.AssertClose(x, model.Decode(density.Latent!, gray), 1e-9, "decode(encode(x)) with an image condition");
        using var other = model.Evaluate(x, gray * -1, keepLatent: true);
        Assert.True((density.LogDensity - other.LogDensity).abs().max().item<double>() > 1e-3, "the density must depend on the condition image");
    }

    [Fact]
    public void BadConditionsAreRefusedWithClearMessages()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        using var model = new ConditionalInnModel(Tiny());
        var x = zeros(2, 1, 4, 4);
        var outOfRange = Assert.Throws<ArgumentException>(() => model.Evaluate(x, tensor(new long[] { 0, 3 })));
        Assert.StartsWith("class indices must lie in 0 … 2, got values from 0 to 3", outOfRange.Message);
        var wrongType = Assert.Throws<ArgumentException>(() => model.Evaluate(x, zeros(2)));
        Assert.StartsWith("a class condition must be Int64 class indices of shape [N], got Float32 [2]", wrongType.Message);
        var wrongRows = Assert.Throws<ArgumentException>(() => model.Evaluate(x, zeros(3, ScalarType.Int64)));
        Assert.StartsWith("the condition has 3 rows but the input has 2", wrongRows.Message);
    }

    [Fact]
    public void SamplingIsSeededAndGivesImagesOfTheInputShape()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(10);
        using var model = new ConditionalInnModel(Tiny());
        var labels = tensor(new long[] { 1, 1, 2 });
        manual_seed(11);
        var a = model.Sample(labels, 0.7);
        manual_seed(11);
        var b = model.Sample(labels, 0.7);
        Assert.Equal(new long[] { 3, 1, 4, 4 }, a.shape);
        Assert.True((a - b).abs().max().item<float>() == 0, "the same generator state must give the same samples");
        var zeroTemperature = model.Sample(labels, 0);
        using var density = model.Evaluate(zeroTemperature, labels, keepLatent: true);
        Assert.True(density.Latent!.abs().max().item<float>() < 1e-4, "temperature 0 decodes z = 0");
    }
}
