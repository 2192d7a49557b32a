using MLNetFlows.Models.InfoGan;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>
/// The float32 gradients of InfoGAN's real layer shapes (the paper's MNIST networks, and RGB 32×32), as training
/// computes them, against the same networks in float64 (libtorch's non-oneDNN kernels). libtorch 2.10's NCHW
/// convolution backward gives wrong input gradients on AVX-512 CPUs for some channel counts, and the generator learns
/// only through the discriminator's input gradient: these tests fail if any convolution of the models ran into it.
/// </summary>
public sealed class GradientParityTests(ITestOutputHelper output)
{
    // max|g32 − g64| / max|g64| per gradient. Float32 rounding through ~8 layers with batch normalisation over a batch
    // of 16: measured ≤ 2e-5 on the channels-last path; wrong NCHW gradients are off by order 1 or NaN.
    private const double RelativeTolerance = 1e-3;

    public static TheoryData<int, int> Shapes => new() { { 1, 28 }, { 3, 32 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float32GradientsOfGeneratorDiscriminatorAndQMatchFloat64(int channels, int side)
    {
        using var leaks = new LeakCheck();
        var a = new InfoGanArchitecture { Channels = channels, Height = side, Width = side };
        manual_seed(3).Dispose();
        using var model32 = new InfoGanModel(a);
        using var model64 = new InfoGanModel(a);
        model64.load_state_dict(model32.state_dict());
        model64.to(float64);
        using var scope = NewDisposeScope();
        var codes = InfoGanLatent.SampleCodes(a, 16);
        var latent = InfoGanLatent.Compose(a, InfoGanLatent.SampleNoise(a, 16), codes);
        var real = rand(16, channels, side, side);

        var (imageGrad32, params32) = Gradients(model32, a, latent, real, codes);
        var (imageGrad64, params64) = Gradients(model64, a, latent.to(float64), real.to(float64), new InfoGanCodes(codes.Categories, codes.Continuous.to(float64)));

        var errors = new List<(string Name, double Error)> { ("real-image input gradient", Relative(imageGrad32, imageGrad64, 1)) };
        // The bias of a layer followed by batch normalisation has no effect, so its exact gradient is 0: there the float32
        // gradient must be rounding noise far below the other gradients' scale.
        var scale = params64.Values.Max(g => g.abs().max().item<double>());
        errors.AddRange(params32.Keys.Select(name => (name, Relative(params32[name], params64[name], scale))));
        foreach (var (name, error) in errors)
        {
            output.WriteLine($"{name}: {error:E1}");
        }

        Assert.Contains(errors, e => e.Name == "generator.fc1.weight");
        var failures = errors.Where(e => !(e.Error <= RelativeTolerance)).Select(e => $"{e.Name}: {e.Error:E1}").ToList();
        Assert.True(failures.Count == 0, $"float32 gradients off by more than {RelativeTolerance:E0}:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Gradients of G's loss with both information terms (through D's input into G: every generator parameter) and of
    /// D's loss on the real images with respect to those images (D's input gradient) and to D's and Q's parameters.
    /// </summary>
    private static (Tensor ImageGradient, Dictionary<string, Tensor> ParameterGradients) Gradients(InfoGanModel model, InfoGanArchitecture a, Tensor latent, Tensor real, InfoGanCodes codes)
    {
        model.train();
        var images = real.detach().requires_grad_(true);
        var fake = model.Generate(latent);
        var (fakeLogit, q) = model.Discriminator.call(fake);
        var generatorLoss = InfoGanObjective.GeneratorLoss(fakeLogit) + InfoGanObjective.CategoricalLoss(a, q, codes.Categories) + InfoGanObjective.ContinuousLoss(q, codes.Continuous);
        var (realLogit, _) = model.Discriminator.call(images);
        var discriminatorLoss = InfoGanObjective.DiscriminatorLoss(realLogit, zeros_like(realLogit));
        (generatorLoss + discriminatorLoss).backward();
        var gradients = model.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        return (images.grad!.detach().clone(), gradients);
    }

    private static double Relative(Tensor actual, Tensor expected, double scale)
    {
        using var scope = NewDisposeScope();
        var reference = expected.abs().max().item<double>();
        return (actual.to(float64) - expected).abs().max().item<double>() / (reference > 1e-9 * scale ? reference : scale);
    }
}
