using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;
using MLNetFlows.Torch.Serialization;

namespace MLNetFlows.Models.Tests;

/// <summary>
/// Parity of <see cref="GlowModel"/> with the PyTorch mirror bench/reference/glow_reference.py, on the two small Glows
/// of Fixtures/glow_parity.safetensors (written by Fixtures/make_glow_fixture.py, whose header says how to regenerate
/// it): "a" affine coupling + LU 1×1 convs + learned top prior (L=2, K=2), "b" additive coupling + plain 1×1 convs +
/// N(0, I) top prior (L=2, K=1), both 1×8×8 with hidden width 8, every parameter perturbed away from its
/// initialisation so zero-initialised convolutions take part. The weights load by their C# state-dict names; the
/// outputs must match PyTorch's and the fixture's latents must decode back to its inputs.
/// </summary>
public sealed class GlowParityTests
{
    // Tolerances, chosen from measurements (C# on this repository's libtorch vs the fixture; max over the 6 samples).
    // Log densities here lie in [-84, -18] nats, where one float32 ulp is 1.9e-6–7.6e-6; latents lie within ±4.1.
    //
    // float32: both sides run the same ops in the same order, but float32 convolution/matmul kernels may sum in another
    // order (CPU, thread count, libtorch build). Measured C# vs Python float32 (a / b): log density 7.6e-6 / 1.5e-5 nats
    // (≤ 2 ulps), per level 7.6e-6 / 1.5e-5, latents 8.9e-7 / 1.9e-6; Python's own float32-vs-float64 gap is of the same
    // size (metadata "*.python_f32_vs_f64": 7.7e-6 / 5.6e-6 nats, latents 1.3e-6 / 6.5e-7). The bounds give ≈ 6× headroom
    // (1e-4 nats ≈ 13 ulps at |log p| = 80) and still fail when one weight element moves by 1e-4 (e.g. level0_prior.weight
    // [0] shifts log p by 1e-3 / 1.8e-3 nats, level1_step0 conv3.weight[0] of b shifts the latents by 2.6e-4).
    private const double LogDensityTolerance32 = 1e-4;
    private const double LatentTolerance32 = 1e-5;

    // float64: the same float32 weights cast to float64 on both sides, so only float64 rounding separates them; a logic
    // difference shows here first. Measured (a / b): log density and per level 2.1e-14 / 1.4e-14 nats, latents
    // 1.3e-15 / 1.3e-15. A 1e-4 change of one element of a's last conv3 weight moves log p by only 8.5e-7 nats, which
    // this catches and the float32 bound cannot.
    private const double LogDensityTolerance64 = 1e-9;
    private const double LatentTolerance64 = 1e-11;

    // Decoding the fixture's latents back to its x. Measured max |Δx| (a / b): float32 3.1e-7 / 4.5e-7 (Python's own
    // float32 round trip: 2.4e-7 / 2.1e-7), float64 9.2e-16 / 6.1e-16. x is in [-0.5, 0.5).
    private const double DecodeTolerance32 = 1e-4;
    private const double DecodeTolerance64 = 1e-10;

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private static readonly string[] DataNames = ["x", "log_density", "per_level", "latent", "log_density_f64", "per_level_f64", "latent_f64"];

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

    private static SafeTensorsContent LoadFixture() =>
        SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "glow_parity.safetensors"));

    /// <summary>The model of <paramref name="prefix"/> with the fixture's weights, in evaluation mode.</summary>
    private static GlowModel LoadModel(SafeTensorsContent fixture, string prefix)
    {
        var architecture = JsonSerializer.Deserialize<GlowArchitecture>(fixture.Metadata[$"{prefix}.architecture"], Json)
            ?? throw new InvalidDataException($"no {prefix}.architecture in the fixture");
        Assert.Equal(Expected[prefix], architecture); // the JSON names and enum spellings are the C# ones
        var weights = fixture.Tensors
            .Where(p => p.Key.StartsWith(prefix + ".", StringComparison.Ordinal) && !DataNames.Contains(p.Key[(prefix.Length + 1)..]))
            .ToDictionary(p => p.Key[(prefix.Length + 1)..], p => p.Value, StringComparer.Ordinal);
        var model = new GlowModel(architecture);
        model.LoadStateDict(weights); // strict: every C# name must be in the fixture and vice versa
        model.Eval();
        Assert.True(model.IsInitialized);
        return model;
    }

    // float32 runs twice: through the fused oneDNN coupling networks (CPU float32 without autograd takes them) and
    // through the ordinary ops (FusedInference.Enabled = false); float64 always takes the ordinary ops.
    [Theory]
    [InlineData("a", DType.Float32, true)]
    [InlineData("b", DType.Float32, true)]
    [InlineData("a", DType.Float32, false)]
    [InlineData("b", DType.Float32, false)]
    [InlineData("a", DType.Float64, false)]
    [InlineData("b", DType.Float64, false)]
    public void DensitiesAndLatentsMatchPyTorch(string prefix, DType dtype, bool fused)
    {
        FusedInference.Enabled = fused;
        try
        {
            AssertDensitiesAndLatentsMatchPyTorch(prefix, dtype);
        }
        finally
        {
            FusedInference.Enabled = true;
        }
    }

    private static void AssertDensitiesAndLatentsMatchPyTorch(string prefix, DType dtype)
    {
        using var leaks = new LeakCheck();
        using var fixture = LoadFixture();
        using var model = LoadModel(fixture, prefix);
        using var scope = DisposeScope.Enter();
        using var noGrad = Autograd.NoGrad();
        var suffix = dtype == DType.Float64 ? "_f64" : string.Empty;
        var (densityTolerance, latentTolerance) = dtype == DType.Float64
            ? (LogDensityTolerance64, LatentTolerance64)
            : (LogDensityTolerance32, LatentTolerance32);
        model.To(dtype);
        var x = fixture.Tensors[$"{prefix}.x"].To(dtype);

        var density = model.Evaluate(x, keepLatents: true);
        var latent = Tensor.Cat(density.Latents!.Select(z => z.Flatten(1)).ToArray(), 1);

        Assert.Equal(dtype, density.LogDensity.DType);
        Assert.Equal(new long[] { 6, 2 }, density.PerLevel.Shape.ToArray());
        Assert.Equal(new long[] { 6, 64 }, latent.Shape.ToArray());
        BlockHarness.AssertClose(fixture.Tensors[$"{prefix}.log_density{suffix}"], density.LogDensity, densityTolerance, $"{prefix} {dtype} log density");
        BlockHarness.AssertClose(fixture.Tensors[$"{prefix}.per_level{suffix}"], density.PerLevel, densityTolerance, $"{prefix} {dtype} per-level log density");
        BlockHarness.AssertClose(fixture.Tensors[$"{prefix}.latent{suffix}"], latent, latentTolerance, $"{prefix} {dtype} latents");
    }

    [Theory]
    [InlineData("a", DType.Float32)]
    [InlineData("b", DType.Float32)]
    [InlineData("a", DType.Float64)]
    [InlineData("b", DType.Float64)]
    public void DecodingPyTorchLatentsGivesBackTheInputs(string prefix, DType dtype)
    {
        using var leaks = new LeakCheck();
        using var fixture = LoadFixture();
        using var model = LoadModel(fixture, prefix);
        using var scope = DisposeScope.Enter();
        using var noGrad = Autograd.NoGrad();
        model.To(dtype);
        var latent = fixture.Tensors[$"{prefix}.latent{(dtype == DType.Float64 ? "_f64" : string.Empty)}"];
        var latents = new Tensor[model.LatentShapes.Count];
        long offset = 0;
        for (var level = 0; level < latents.Length; level++)
        {
            var size = model.LevelDimensions[level];
            latents[level] = latent.Narrow(1, offset, size).Reshape([latent.Size(0), .. model.LatentShapes[level]]);
            offset += size;
        }

        Assert.Equal(latent.Size(1), offset);
        var decoded = model.Decode(latents);

        Assert.Equal(dtype, decoded.DType);
        BlockHarness.AssertClose(fixture.Tensors[$"{prefix}.x"].To(dtype), decoded, dtype == DType.Float64 ? DecodeTolerance64 : DecodeTolerance32, $"{prefix} {dtype} decode(latents)");
    }
}
