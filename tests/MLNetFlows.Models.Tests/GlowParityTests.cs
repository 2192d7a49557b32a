using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Tests;

/// <summary>
/// Parity of <see cref="GlowModel"/> with the PyTorch mirror bench/reference/glow_reference.py, on the two small Glows
/// of Fixtures/glow_parity.safetensors (written by Fixtures/make_glow_fixture.py, whose header says how to regenerate
/// it): "a" affine coupling + LU 1×1 convs + learned top prior (L=2, K=2), "b" additive coupling + plain 1×1 convs +
/// N(0, I) top prior (L=2, K=1), both 1×8×8 with hidden width 8, every parameter perturbed away from its
/// initialisation so zero-initialised convolutions take part. The weights load by their state-dict names; the
/// outputs must match PyTorch's on every execution path (folded or block by block, channels-last or NCHW) and the
/// fixture's latents must decode back to its inputs.
/// </summary>
public sealed class GlowParityTests
{
    // Tolerances, chosen from measurements (C# with TorchSharp 0.107 / libtorch 2.10 vs the fixture; max over the 6
    // samples). Log densities here lie in [-84, -18] nats, where one float32 ulp is 1.9e-6–7.6e-6; latents lie within ±4.1.
    //
    // float32: both sides run the same maths, but float32 convolution/matmul kernels may sum in another order (CPU,
    // thread count, libtorch build, layout) and the folded path rounds the folded weights. Measured C# vs Python float32
    // over the four paths (a / b): log density ≤ 1.1e-5 / 1.5e-5 nats (≤ 2 ulps), per level ≤ 7.6e-6 / 1.5e-5, latents
    // ≤ 1.2e-6 / 1.9e-6; Python's own float32-vs-float64 gap is of the same size (metadata "*.python_f32_vs_f64":
    // 7.7e-6 / 5.6e-6 nats, latents 1.3e-6 / 6.5e-7). The bounds give ≥ 5× headroom (1e-4 nats ≈ 13 ulps at
    // |log p| = 80) and still fail when one weight element moves by 1e-4 (e.g. level0_prior.weight[0] shifts log p by
    // 1e-3 / 1.8e-3 nats, level1_step0 conv3.weight[0] of b shifts the latents by 2.6e-4).
    private const double LogDensityTolerance32 = 1e-4;
    private const double LatentTolerance32 = 1e-5;

    // float64: the same float32 weights cast to float64 on both sides, so only float64 rounding separates them; a logic
    // difference shows here first. Measured (a / b, folded and block by block): log density and per level ≤ 1.4e-14 /
    // 2.1e-14 nats, latents ≤ 1.3e-15 / 1.3e-15. A 1e-4 change of one element of a's last conv3 weight moves log p by
    // 8.5e-7 nats, which this catches and the float32 bound cannot.
    private const double LogDensityTolerance64 = 1e-9;
    private const double LatentTolerance64 = 1e-11;

    // Decoding the fixture's latents back to its x. Measured max |Δx| (a / b): float32 3.4e-7 / 4.0e-7 (Python's own
    // float32 round trip: 2.4e-7 / 2.1e-7), float64 7.5e-16 / 4.7e-16. x is in [-0.5, 0.5).
    private const double DecodeTolerance32 = 1e-4;
    private const double DecodeTolerance64 = 1e-10;

    private static readonly Dictionary<string, GlowArchitecture> Expected = new()
    {
        ["a"] = new()
        {
            Channels = 1, Height = 8, Width = 8, Levels = 2, StepsPerLevel = 2, HiddenChannels = 8,
            Coupling = CouplingKind.Affine, Permutation = ConvolutionParameterization.LU, SoftClamp = null, LearnTopPrior = true,
        },
        ["b"] = new()
        {
            Channels = 1, Height = 8, Width = 8, Levels = 2, StepsPerLevel = 1, HiddenChannels = 8,
            Coupling = CouplingKind.Additive, Permutation = ConvolutionParameterization.Plain, SoftClamp = null, LearnTopPrior = false,
        },
    };

    public static TheoryData<string, ScalarType, bool, bool> Paths()
    {
        var data = new TheoryData<string, ScalarType, bool, bool>();
        foreach (var prefix in new[] { "a", "b" })
        {
            foreach (var fold in new[] { true, false })
            {
                data.Add(prefix, ScalarType.Float32, fold, true);
                data.Add(prefix, ScalarType.Float32, fold, false);
                data.Add(prefix, ScalarType.Float64, fold, true); // channels-last applies to CPU float32 only
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void DensitiesAndLatentsMatchPyTorch(string prefix, ScalarType dtype, bool fold, bool channelsLast)
    {
        using var leaks = new LeakCheck();
        using var fixture = ParityFixture.Load(prefix);
        using var switches = new ExecutionSwitches(fold, channelsLast);
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        Assert.Equal(Expected[prefix], fixture.Architecture); // the JSON names and enum spellings are the C# ones
        Assert.True(fixture.Model.IsInitialized);
        var suffix = dtype == ScalarType.Float64 ? "_f64" : string.Empty;
        var (densityTolerance, latentTolerance) = dtype == ScalarType.Float64
            ? (LogDensityTolerance64, LatentTolerance64)
            : (LogDensityTolerance32, LatentTolerance32);
        fixture.Model.to(dtype);
        var x = fixture.Data["x"].to(dtype);

        var density = fixture.Model.Evaluate(x, keepLatents: true);
        var latent = cat(density.Latents!.Select(z => z.flatten(1)).ToArray(), 1);

        Assert.Equal(dtype, density.LogDensity.dtype);
        Assert.Equal(new long[] { 6, 2 }, density.PerLevel.shape);
        Assert.Equal(new long[] { 6, 64 }, latent.shape);
        BlockHarness.AssertClose(fixture.Data[$"log_density{suffix}"], density.LogDensity, densityTolerance, $"{prefix} {dtype} log density");
        BlockHarness.AssertClose(fixture.Data[$"per_level{suffix}"], density.PerLevel, densityTolerance, $"{prefix} {dtype} per-level log density");
        BlockHarness.AssertClose(fixture.Data[$"latent{suffix}"], latent, latentTolerance, $"{prefix} {dtype} latents");
    }

    [Theory]
    [InlineData("a", ScalarType.Float32)]
    [InlineData("b", ScalarType.Float32)]
    [InlineData("a", ScalarType.Float64)]
    [InlineData("b", ScalarType.Float64)]
    public void DecodingPyTorchLatentsGivesBackTheInputs(string prefix, ScalarType dtype)
    {
        using var leaks = new LeakCheck();
        using var fixture = ParityFixture.Load(prefix);
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var model = fixture.Model;
        model.to(dtype);
        var latent = fixture.Data[$"latent{(dtype == ScalarType.Float64 ? "_f64" : string.Empty)}"];
        var latents = new Tensor[model.LatentShapes.Count];
        long offset = 0;
        for (var level = 0; level < latents.Length; level++)
        {
            var size = model.LevelDimensions[level];
            latents[level] = latent.narrow(1, offset, size).reshape([latent.size(0), .. model.LatentShapes[level]]);
            offset += size;
        }

        Assert.Equal(latent.size(1), offset);
        var decoded = model.Decode(latents);

        Assert.Equal(dtype, decoded.dtype);
        BlockHarness.AssertClose(fixture.Data["x"].to(dtype), decoded, dtype == ScalarType.Float64 ? DecodeTolerance64 : DecodeTolerance32, $"{prefix} {dtype} decode(latents)");
    }
}
