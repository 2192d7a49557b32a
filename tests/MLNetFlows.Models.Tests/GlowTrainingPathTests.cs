using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Tests;

/// <summary>
/// The paths the models train and score on: folded (default) vs block by block, channels-last vs NCHW, float32 vs a
/// float64 reference of the same weights, and native memory over training- and scoring-like loops.
/// </summary>
public sealed class GlowTrainingPathTests
{
    // Glow's real channel counts where they matter: hidden 128 feeding zero-initialised 3×3 convolutions with 4 and 8
    // output channels (the NCHW backward failure), at a small resolution.
    private static readonly GlowArchitecture Realistic = new() { Channels = 1, Height = 16, Width = 16, Levels = 2, StepsPerLevel = 1, HiddenChannels = 128 };

    private static readonly GlowArchitecture Small = new() { Channels = 1, Height = 8, Width = 8, Levels = 2, StepsPerLevel = 2, HiddenChannels = 16 };

    [Fact]
    public void FoldedAndBlockByBlockPathsGiveTheSameDensitiesAndGradients()
    {
        using var leaks = new LeakCheck();
        manual_seed(21);
        using var model = new GlowModel(Small);
        using var scope = NewDisposeScope();
        var x = rand([5, 1, 8, 8], ScalarType.Float64) - 0.5;
        BlockHarness.Randomize(model, x, null, scale: 0.05);

        var (folded, foldedGradients) = LossAndGradients(model, x, fold: true);
        var (unfolded, unfoldedGradients) = LossAndGradients(model, x, fold: false);

        BlockHarness.AssertClose(unfolded, folded, 1e-10, "loss");
        foreach (var (name, gradient) in unfoldedGradients)
        {
            BlockHarness.AssertClose(gradient, foldedGradients[name], 1e-10, $"gradient of {name}");
        }
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void ScoringPathsAgreeInFloat32(bool fold, bool channelsLast)
    {
        using var leaks = new LeakCheck();
        manual_seed(22);
        using var model = new GlowModel(Small);
        using var scope = NewDisposeScope();
        var x = rand([5, 1, 8, 8], ScalarType.Float64) - 0.5;
        BlockHarness.Randomize(model, x, null, scale: 0.05);
        var reference = model.Evaluate(x).LogDensity;
        model.to(ScalarType.Float32).eval();

        Tensor logDensity;
        using (new ExecutionSwitches(fold, channelsLast))
        using (inference_mode())
        {
            logDensity = model.Evaluate(x.to(ScalarType.Float32)).LogDensity;
        }

        // float32 rounding of densities in [−111, −61] nats: measured 2.4e-5–4.6e-5 over the four paths (≤ 6 ulps).
        BlockHarness.AssertClose(reference, logDensity, 1e-4, $"float32 log density (fold {fold}, channels-last {channelsLast}) vs float64");
    }

    [Fact]
    public void Float32TrainingGradientsMatchTheFloat64Reference()
    {
        using var leaks = new LeakCheck();
        manual_seed(23);
        using var model = new GlowModel(Realistic);
        using var scope = NewDisposeScope();
        var x = rand([8, 1, 16, 16], ScalarType.Float64) - 0.5;
        BlockHarness.Randomize(model, x, null, scale: 0.05); // zero-initialised convolutions become non-zero

        var (reference, referenceGradients) = LossAndGradients(model, x, fold: true);
        model.to(ScalarType.Float32);
        var (loss, gradients) = LossAndGradients(model, x.to(ScalarType.Float32), fold: true);

        // Relative to each parameter's largest float64 gradient; measured ≤ 1.2e-6 on the channels-last path. On NCHW
        // (FlowExecution.ChannelsLast = false) every parameter upstream of a 128→4/8 output convolution was off by 0.1–0.4.
        BlockHarness.AssertClose(reference, loss, 1e-3, "loss"); // ≈ 510 nats; measured 5.6e-5
        foreach (var (name, expected) in referenceGradients)
        {
            var scale = expected.abs().max().item<double>();
            var error = (gradients[name].to(ScalarType.Float64) - expected).abs().max().item<double>() / scale;
            Assert.True(error <= 1e-4, $"gradient of {name}: relative error {error:G3}");
        }
    }

    [Fact]
    public void TrainingStepsLeakNoTensors()
    {
        manual_seed(24);
        using var model = new GlowModel(Small);
        using var optimizer = optim.Adamax(model.parameters(), 1e-3);
        using var leaks = new LeakCheck();
        var losses = new List<double>();
        for (var step = 0; step < 4; step++)
        {
            using var scope = NewDisposeScope();
            var x = rand(16, 1, 8, 8) - 0.5;
            optimizer.zero_grad();
            var loss = -model.Evaluate(x).LogDensity.mean();
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(model.IsInitialized);
    }

    [Fact]
    public void ScoringLoopLeaksNoTensors()
    {
        manual_seed(25);
        using var model = new GlowModel(Small);
        using (NewDisposeScope())
        {
            model.Evaluate(rand(16, 1, 8, 8) - 0.5); // data-dependent initialisation
        }

        model.eval();
        using var leaks = new LeakCheck();
        var scores = new List<float>();
        for (var batch = 0; batch < 4; batch++)
        {
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            var density = model.Evaluate(rand(8, 1, 8, 8) - 0.5, keepLatents: true);
            scores.AddRange(density.LogDensity.data<float>());
            _ = model.Decode(density.Latents!);
        }

        Assert.Equal(32, scores.Count);
    }

    private static (Tensor Loss, Dictionary<string, Tensor> Gradients) LossAndGradients(GlowModel model, Tensor x, bool fold)
    {
        using var switches = new ExecutionSwitches(foldNormalizations: fold);
        model.zero_grad();
        var loss = -model.Evaluate(x).LogDensity.mean();
        loss.backward();
        var gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        return (loss.detach(), gradients);
    }
}
