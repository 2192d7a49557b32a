using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using MLNetFlows.Torch;
using MLNetFlows.Torch.Serialization;

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
        TorchRuntime.ManualSeed(5);
        using var model = new GlowModel(Tiny(levels));
        using var scope = DisposeScope.Enter();
        var x = Tensor.Rand([3, 1, 4, 4], DType.Float64) - 0.5;
        BlockHarness.Randomize(model, x, null, scale: 0.03);
        var latents = model.Encode(x);
        var density = model.Evaluate(x);

        BlockHarness.AssertClose(x, model.Decode(latents), 1e-9, "decode(encode(x))");
        Assert.Equal(16, model.LevelDimensions.Sum());
        for (var i = 0; i < 3; i++)
        {
            var numerical = BlockHarness.NumericalLogAbsDet(
                batch => Tensor.Cat(model.Encode(batch).Select(z => z.Flatten(1)).ToArray(), 1), x.Narrow(0, i, 1));
            Assert.True(Math.Abs(numerical - density.LogDet.Select(0, i).Item()) < 1e-5, $"log-det {density.LogDet.Select(0, i).Item()} vs numerical {numerical}");
        }

        BlockHarness.AssertClose(density.LogDensity, density.PerLevel.Sum([1]), 1e-9, "per-level parts sum to the total");
    }

    [Fact]
    public void FreshModelHasStandardNormalLatentDensity()
    {
        // Zero-initialised couplings and priors: a fresh Glow is ActNorm + rotations, so log p(x̃) = log N(z; 0, I) + log|det|.
        using var leaks = new LeakCheck();
        TorchRuntime.ManualSeed(2);
        using var model = new GlowModel(Tiny(learnTop: false));
        using var scope = DisposeScope.Enter();
        var x = Tensor.Rand([4, 1, 4, 4]) - 0.5;
        model.Evaluate(x); // data-dependent init
        var density = model.Evaluate(x, keepLatents: true);
        var z = Tensor.Cat(density.Latents!.Select(l => l.Flatten(1)).ToArray(), 1);
        var expected = GaussianDensity.LogProb(z, z.ZerosLike(), z.ZerosLike()) + density.LogDet;

        BlockHarness.AssertClose(expected, density.LogDensity, 1e-3, "log p = log N(z) + log|det|");
    }

    [Fact]
    public void SamplesHaveTheInputShapeAndTemperatureZeroIsTheMode()
    {
        using var leaks = new LeakCheck();
        TorchRuntime.ManualSeed(9);
        using var model = new GlowModel(Tiny());
        using var scope = DisposeScope.Enter();
        model.Evaluate(Tensor.Rand([4, 1, 4, 4]) - 0.5);

        var samples = model.Sample(5, 0.7);
        var modeA = model.Sample(2, 0);
        var modeB = model.Sample(2, 0);

        Assert.Equal(new long[] { 5, 1, 4, 4 }, samples.Shape.ToArray());
        Assert.True(samples.IsFinite().All().ToArray<bool>()[0]);
        BlockHarness.AssertClose(modeA, modeB, 0, "temperature 0 is deterministic");
    }

    [Fact]
    public void StateSavesAndLoadsToIdenticalDensities()
    {
        using var leaks = new LeakCheck();
        var path = Path.Combine(Path.GetTempPath(), $"glow-{Guid.NewGuid():N}.safetensors");
        try
        {
            TorchRuntime.ManualSeed(4);
            using var scope = DisposeScope.Enter();
            var x = Tensor.Rand([3, 1, 4, 4]) - 0.5;
            using var model = new GlowModel(Tiny());
            BlockHarness.Randomize(model, x, null);
            model.To(DType.Float32);
            SafeTensors.Save(path, model.StateDict());
            using var copy = new GlowModel(Tiny());
            using (var saved = SafeTensors.Load(path))
            {
                copy.LoadStateDict(saved.Tensors);
            }

            var expected = model.Evaluate(x).LogDensity;
            var actual = copy.Evaluate(x).LogDensity;

            Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());
            Assert.True(copy.StateDict().Where(p => p.Key.EndsWith("initialized", StringComparison.Ordinal)).All(p => p.Value.Item() == 1));
        }
        finally
        {
            File.Delete(path);
        }
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
    public void ArchitectureValidationNamesTheProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new GlowModel(new GlowArchitecture { Channels = 1, Height = 28, Width = 28, Levels = 3 }));

        Assert.Equal("a Glow with 3 levels needs height and width divisible by 2^3 = 8, got 28×28; pad the images (GlowInput.PaddedSide) or use fewer levels", error.Message);
        Assert.Equal(32, GlowInput.PaddedSide(28, 3));
        Assert.Equal(28, GlowInput.PaddedSide(28, 2));
    }

    [Fact]
    public void InputPreparationAndBitsPerDimFollowTheOpenAiConvention()
    {
        using var leaks = new LeakCheck();
        using var scope = DisposeScope.Enter();
        var pixels = Tensor.FromArray(new float[] { 0, 255, 128, 7 }, 1, 1, 2, 2);

        var centred = GlowInput.Prepare(pixels, bits: 8, height: 4, width: 4, dequantize: false);
        var fiveBit = GlowInput.Prepare(pixels, bits: 5, height: 2, width: 2, dequantize: false);

        Assert.Equal(new long[] { 1, 1, 4, 4 }, centred.Shape.ToArray());
        Assert.Equal((0.5 / 256) - 0.5, centred.Select(2, 0).Select(2, 0).Item(), 6);
        Assert.Equal((255.5 / 256) - 0.5, centred.Select(2, 0).Select(2, 1).Item(), 6);
        Assert.Equal((0.5 / 256) - 0.5, centred.Select(2, 3).Select(2, 3).Item(), 6); // padding is black
        Assert.Equal((31.5 / 32) - 0.5, fiveBit.Select(2, 0).Select(2, 1).Item(), 6);
        BlockHarness.AssertClose(pixels, GlowInput.ToPixels(centred, 8, 2, 2), 1e-4, "pixels round trip");

        // A uniform density on [-½, ½]^D has log p = 0, so it costs exactly 8 bits per dimension.
        var uniform = GlowInput.BitsPerDim(Tensor.Zeros([1]), modelDimensions: 16, reportedDimensions: 16, bits: 8);
        Assert.Equal(8, uniform.Item(), 9);
        var perOriginal = GlowInput.BitsPerDim(Tensor.Zeros([1]), modelDimensions: 16, reportedDimensions: 4, bits: 8);
        Assert.Equal(32, perOriginal.Item(), 9);
    }
}
