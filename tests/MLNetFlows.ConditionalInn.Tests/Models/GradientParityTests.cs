using MLNetFlows.Models.Cinn;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.ConditionalInn.Tests.Models;

/// <summary>
/// libtorch 2.10's NCHW convolution backward gives wrong input gradients on this kind of CPU for some channel counts
/// (docs/architecture.md, measured-facts.md). The conditional INN's convolutions run channels-last; this checks the
/// float32 gradients of a Fashion-MNIST-shaped network (subnet outputs of 4 and 8 channels, the bad case) and of the
/// colorization network against float64.
/// </summary>
public sealed class GradientParityTests
{
    [Fact]
    public void Float32GradientsMatchFloat64OnTheRealLayerShapes()
    {
        var architecture = new ConditionalInnArchitecture { Channels = 1, Height = 28, Width = 28, Levels = 2, BlocksPerLevel = 1, HiddenChannels = 64, NumberOfClasses = 10 };
        using var labels = arange(8, ScalarType.Int64) % 10;
        AssertFloat32GradientsMatchFloat64(architecture, labels);
    }

    /// <summary>
    /// The colorization network's shapes: chroma (2 channels) given the lightness, 32×32 patches, 3 levels, 64 hidden: the
    /// conditioning network's 1 → 16 and 16 → 16 convolutions, subnet inputs of 4, 8 and 16 channels plus 16 condition
    /// features, subnet outputs of 8, 16 and 32 channels.
    /// </summary>
    [Fact]
    public void Float32GradientsMatchFloat64OnTheColorizationLayerShapes()
    {
        var architecture = new ConditionalInnArchitecture
        {
            Channels = 2, Height = 32, Width = 32, Levels = 3, BlocksPerLevel = 1, HiddenChannels = 64,
            Condition = ConditionKind.Image, ConditionImageChannels = 1,
        };
        manual_seed(13);
        using var lightness = rand(8, 1, 32, 32).sub_(0.5);
        AssertFloat32GradientsMatchFloat64(architecture, lightness);
    }

    private static void AssertFloat32GradientsMatchFloat64(ConditionalInnArchitecture architecture, Tensor condition)
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var single = new ConditionalInnModel(architecture);
        using var reference = new ConditionalInnModel(architecture);
        reference.load_state_dict(single.state_dict());
        reference.to(ScalarType.Float64);
        using (no_grad())
        {
            foreach (var p in single.parameters())
            {
                p.add_(randn_like(p), 0.05); // away from the near-identity start, so every layer matters
            }

            foreach (var ((_, p), (_, q)) in single.named_parameters().Zip(reference.named_parameters()))
            {
                q.copy_(p);
            }
        }

        var x = (rand(8, architecture.Channels, architecture.Height, architecture.Width) - 0.5).requires_grad_();
        var xReference = x.detach().to(ScalarType.Float64).requires_grad_();
        var conditionReference = condition.is_floating_point() ? condition.to(ScalarType.Float64) : condition;
        single.Evaluate(x, condition).LogDensity.sum().backward();
        reference.Evaluate(xReference, conditionReference).LogDensity.sum().backward();

        var error = (x.grad!.to(ScalarType.Float64) - xReference.grad!).abs().max().item<double>();
        var size = xReference.grad!.abs().max().item<double>();
        Assert.True(error <= 1e-3 * size, $"input gradient max error {error:G3} vs max magnitude {size:G3}");
        foreach (var ((name, p), (_, q)) in single.named_parameters().Zip(reference.named_parameters()))
        {
            var parameterError = (p.grad!.to(ScalarType.Float64) - q.grad!).abs().max().item<double>();
            var parameterSize = q.grad!.abs().max().item<double>();
            Assert.True(parameterError <= (1e-3 * parameterSize) + 1e-6, $"{name}: gradient max error {parameterError:G3} vs magnitude {parameterSize:G3}");
        }
    }
}
