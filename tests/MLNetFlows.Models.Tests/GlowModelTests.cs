using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Tests;

public sealed class GlowModelTests
{
    private static GlowArchitecture Tiny(int levels = 2, bool learnTop = true) => new()
    {
        Channels = 1, Height = 4, Width = 4, Levels = levels, StepsPerLevel = 2, HiddenChannels = 8, LearnTopPrior = learnTop,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EncodeDecodeRoundTripsAndLogDetMatchesTheNumericalJacobian(int levels)
    {
        using var leaks = new LeakCheck();
        manual_seed(5);
        using var model = new GlowModel(Tiny(levels));
        using var scope = NewDisposeScope();
        var x = rand([3, 1, 4, 4], ScalarType.Float64) - 0.5;
        BlockHarness.Randomize(model, x, null, scale: 0.03);
        var latents = model.Encode(x);
        var density = model.Evaluate(x);

        BlockHarness.AssertClose(x, model.Decode(latents), 1e-9, "decode(encode(x))");
        Assert.Equal(16, model.LevelDimensions.Sum());
        for (var i = 0; i < 3; i++)
        {
            var numerical = BlockHarness.NumericalLogAbsDet(
                batch => cat(model.Encode(batch).Select(z => z.flatten(1)).ToArray(), 1), x.narrow(0, i, 1));
            var analytic = density.LogDet[i].item<double>();
            Assert.True(Math.Abs(numerical - analytic) < 1e-5, $"log-det {analytic} vs numerical {numerical}");
        }

        BlockHarness.AssertClose(density.LogDensity, density.PerLevel.sum(1), 1e-9, "per-level parts sum to the total");
    }

    [Fact]
    public void ABatchScoresEveryImageAsItScoresAloneForAHiddenWidthOf100()
    {
        // A width whose channels-last 1×1 convolution libtorch 2.10 miscomputes from 16 images on (FlowExecution.Conv2d).
        using var leaks = new LeakCheck();
        manual_seed(8);
        using var model = new GlowModel(new GlowArchitecture { Channels = 1, Height = 8, Width = 8, Levels = 1, StepsPerLevel = 1, HiddenChannels = 100 });
        using var scope = NewDisposeScope();
        var x = rand(16, 1, 8, 8, dtype: ScalarType.Float64) - 0.5;
        BlockHarness.Randomize(model, x, null, scale: 0.05);
        model.to(ScalarType.Float32);
        model.eval();
        using var noGrad = no_grad();
        var batch = model.Evaluate(x.to(ScalarType.Float32)).LogDensity;
        var alone = cat(Enumerable.Range(0, 16).Select(i => model.Evaluate(x.narrow(0, i, 1).to(ScalarType.Float32)).LogDensity).ToArray());

        BlockHarness.AssertClose(alone, batch, 1e-3, "log p of a batch of 16 vs each image alone");
    }

    [Fact]
    public void FreshModelHasStandardNormalLatentDensity()
    {
        // Zero-initialised couplings and priors: a fresh Glow is ActNorm + rotations, so log p(x̃) = log N(z; 0, I) + log|det|.
        using var leaks = new LeakCheck();
        manual_seed(2);
        using var model = new GlowModel(Tiny(learnTop: false));
        using var scope = NewDisposeScope();
        var x = rand(4, 1, 4, 4) - 0.5;
        model.Evaluate(x); // data-dependent init
        var density = model.Evaluate(x, keepLatents: true);
        var z = cat(density.Latents!.Select(l => l.flatten(1)).ToArray(), 1);
        var expected = GaussianDensity.LogProb(z, zeros_like(z), zeros_like(z)) + density.LogDet;

        BlockHarness.AssertClose(expected, density.LogDensity, 1e-3, "log p = log N(z) + log|det|");
    }

    [Fact]
    public void SamplesHaveTheInputShapeAndTemperatureZeroIsTheMode()
    {
        using var leaks = new LeakCheck();
        manual_seed(9);
        using var model = new GlowModel(Tiny());
        using var scope = NewDisposeScope();
        model.Evaluate(rand(4, 1, 4, 4) - 0.5);

        var samples = model.Sample(5, 0.7);
        var modeA = model.Sample(2, 0);
        var modeB = model.Sample(2, 0);

        Assert.Equal(new long[] { 5, 1, 4, 4 }, samples.shape);
        Assert.True(samples.isfinite().all().item<bool>());
        BlockHarness.AssertClose(modeA, modeB, 0, "temperature 0 is deterministic");
    }

    [Fact]
    public void StateSavesAndLoadsThroughSafetensorsToIdenticalDensities()
    {
        using var leaks = new LeakCheck();
        using var directory = new TempDirectory();
        var path = directory.File("glow.safetensors");
        manual_seed(4);
        using var scope = NewDisposeScope();
        var x = rand(3, 1, 4, 4) - 0.5;
        using var model = new GlowModel(Tiny());
        BlockHarness.Randomize(model, x.to(ScalarType.Float64), null);
        model.to(ScalarType.Float32);
        model.save_safetensors(path);
        using var copy = new GlowModel(Tiny());
        Assert.False(copy.IsInitialized);

        copy.load_safetensors(path);
        var expected = model.Evaluate(x).LogDensity;
        var actual = copy.Evaluate(x).LogDensity;

        Assert.True(copy.IsInitialized);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        Assert.All(copy.state_dict().Where(p => p.Key.EndsWith("initialized", StringComparison.Ordinal)), p => Assert.Equal(1, p.Value.item<byte>()));
    }

    [Fact]
    public void SamplingAnUntrainedModelIsRefusedInsteadOfInitialisingFromNoise()
    {
        using var model = new GlowModel(Tiny());

        var error = Assert.Throws<InvalidOperationException>(() => model.Sample(2));

        Assert.StartsWith("this Glow has not seen data yet", error.Message);
        Assert.False(model.IsInitialized);
    }

    [Fact]
    public void DecodingChecksTheLatentShapes()
    {
        using var leaks = new LeakCheck();
        using var model = new GlowModel(Tiny());
        using var scope = NewDisposeScope();
        model.Evaluate(rand(4, 1, 4, 4) - 0.5);

        var count = Assert.Throws<ArgumentException>(() => model.Decode([zeros(1, 2, 2, 2)]));
        var shape = Assert.Throws<ArgumentException>(() => model.Decode([zeros(1, 2, 2, 2), zeros(1, 4, 1, 1)]));

        Assert.Equal("expected 2 latents (one per level), got 1 (Parameter 'latents')", count.Message);
        Assert.Equal("latent 1 must have shape [N, 8, 1, 1], got [1, 4, 1, 1]", shape.Message);
    }

    [Fact]
    public void ArchitectureValidationNamesTheProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new GlowModel(new GlowArchitecture { Channels = 1, Height = 28, Width = 28, Levels = 3 }));

        Assert.Equal("a Glow with 3 levels needs height and width divisible by 2^3 = 8, got 28×28; pad the images (GlowInput.PaddedSide) or use fewer levels", error.Message);
        Assert.Equal(32, GlowInput.PaddedSide(28, 3));
        Assert.Equal(28, GlowInput.PaddedSide(28, 2));
    }

    [Fact]
    public void LevelsBeyondAnIntShiftAreRefusedBeforeAnythingIsBuilt()
    {
        // 1 << 1 048 576 is 1 << 0 in C#: without the bound a manifest claiming 1 048 576 levels passed the size check.
        var error = Assert.Throws<ArgumentException>(() => new GlowModel(new GlowArchitecture { Channels = 1, Height = 32, Width = 32, Levels = 1 << 20 }));

        Assert.Equal("Levels must be between 1 and 30, got 1048576", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => GlowInput.PaddedSide(28, 32));
    }

    [Fact]
    public void InputPreparationAndBitsPerDimFollowTheOpenAiConvention()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        var pixels = tensor(new float[] { 0, 255, 128, 7 }).reshape(1, 1, 2, 2);

        var centred = GlowInput.Prepare(pixels, bits: 8, height: 4, width: 4, dequantize: false);
        var fiveBit = GlowInput.Prepare(pixels, bits: 5, height: 2, width: 2, dequantize: false);

        Assert.Equal(new long[] { 1, 1, 4, 4 }, centred.shape);
        Assert.Equal((0.5 / 256) - 0.5, centred[0, 0, 0, 0].item<float>(), 6);
        Assert.Equal((255.5 / 256) - 0.5, centred[0, 0, 0, 1].item<float>(), 6);
        Assert.Equal((0.5 / 256) - 0.5, centred[0, 0, 3, 3].item<float>(), 6); // padding is black
        Assert.Equal((31.5 / 32) - 0.5, fiveBit[0, 0, 0, 1].item<float>(), 6);
        BlockHarness.AssertClose(pixels, GlowInput.ToPixels(centred, 8, 2, 2), 1e-4, "pixels round trip");

        // A uniform density on [-½, ½]^D has log p = 0, so it costs exactly 8 bits per dimension.
        var uniform = GlowInput.BitsPerDim(zeros(1), modelDimensions: 16, reportedDimensions: 16, bits: 8);
        Assert.Equal(8, uniform.item<float>(), 5);
        var perOriginal = GlowInput.BitsPerDim(zeros(1), modelDimensions: 16, reportedDimensions: 4, bits: 8);
        Assert.Equal(32, perOriginal.item<float>(), 5);
    }
}
