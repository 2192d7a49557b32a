using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Tests;

/// <summary>Every invertible block of the project, over a table of configurations, through the shared harness.</summary>
public sealed class InvertibleBlockTests
{
    public static TheoryData<string> Blocks() =>
    [
        "actnorm", "conv1x1-lu", "conv1x1-plain", "coupling-affine", "coupling-affine-clamped", "coupling-additive",
        "coupling-conditional", "squeeze", "flowstep", "flowstep-additive-plain", "flowstep-conditional",
    ];

    private static InvertibleBlock Create(string name) => name switch
    {
        "actnorm" => new ActNorm(4, 4, 4),
        "conv1x1-lu" => new InvertibleConv1x1(4, 4, 4),
        "conv1x1-plain" => new InvertibleConv1x1(4, 4, 4, ConvolutionParameterization.Plain),
        "coupling-affine" => new AffineCoupling(4, 4, 4, 8),
        "coupling-affine-clamped" => new AffineCoupling(4, 4, 4, 8, softClamp: 2.0),
        "coupling-additive" => new AffineCoupling(4, 4, 4, 8, CouplingKind.Additive),
        "coupling-conditional" => new AffineCoupling(4, 4, 4, 8, conditionChannels: 3),
        "squeeze" => new Squeeze(4, 4, 4),
        "flowstep" => new FlowStep(4, 4, 4, 8, CouplingKind.Affine, ConvolutionParameterization.LU, null),
        "flowstep-additive-plain" => new FlowStep(4, 4, 4, 8, CouplingKind.Additive, ConvolutionParameterization.Plain, null),
        "flowstep-conditional" => new FlowStep(4, 4, 4, 8, CouplingKind.Affine, ConvolutionParameterization.LU, 1.5, conditionChannels: 3),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void SatisfiesTheInvertibleBlockContract(string name)
    {
        using var leaks = new LeakCheck();
        manual_seed(3);
        using var block = Create(name);
        using var x = randn([3, 4, 4, 4], ScalarType.Float64);
        using var condition = block.ConditionShape is null ? null : randn([3, 3, 4, 4], ScalarType.Float64);

        BlockHarness.Check(block, x, condition);
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void UnfoldedPathSatisfiesTheContractToo(string name)
    {
        using var leaks = new LeakCheck();
        using var unfolded = new ExecutionSwitches(foldNormalizations: false);
        manual_seed(3);
        using var block = Create(name);
        using var x = randn([3, 4, 4, 4], ScalarType.Float64);
        using var condition = block.ConditionShape is null ? null : randn([3, 3, 4, 4], ScalarType.Float64);

        BlockHarness.Check(block, x, condition);
    }

    [Theory]
    [InlineData(ConvolutionParameterization.LU)]
    [InlineData(ConvolutionParameterization.Plain)]
    public void FusedFlowStepEqualsTheBlockByBlockChain(ConvolutionParameterization permutation)
    {
        using var leaks = new LeakCheck();
        manual_seed(8);
        using var step = new FlowStep(4, 4, 4, 8, CouplingKind.Affine, permutation, null, conditionChannels: 2);
        using var scope = NewDisposeScope();
        var x = randn([3, 4, 4, 4], ScalarType.Float64);
        var c = randn([3, 2, 4, 4], ScalarType.Float64);
        BlockHarness.Randomize(step, x, c); // initialised, then every parameter (ActNorm included) perturbed

        var (fused, fusedLogDet) = step.Forward(x, c);
        var (chained, chainedLogDet) = step.ForwardUnfused(x, c);

        BlockHarness.AssertClose(chained, fused, 1e-12, "fused output");
        BlockHarness.AssertClose(chainedLogDet, fusedLogDet, 1e-10, "fused log-det");
    }

    [Fact]
    public void ConvolutionFusedWithActNormEqualsConvolutionThenActNorm()
    {
        using var leaks = new LeakCheck();
        using var norm = new ActNorm(5, 4, 4);
        using var scope = NewDisposeScope();
        var x = randn([2, 3, 4, 4], ScalarType.Float64);
        var weight = randn([5, 3, 3, 3], ScalarType.Float64);
        BlockHarness.Randomize(norm, nn.functional.conv2d(x, weight, padding: [1, 1]), null);

        var fused = norm.ConvolveThenNormalize(x, weight, padding: 1);
        var separate = norm.Forward(nn.functional.conv2d(x, weight, padding: [1, 1])).Output;

        BlockHarness.AssertClose(separate, fused, 1e-12, "fused convolution + ActNorm");
    }

    [Fact]
    public void ZeroConvolutionWithFoldedScaleEqualsConvolutionThenScale()
    {
        using var leaks = new LeakCheck();
        using var layer = new ZeroConv2d(3, 5);
        using var scope = NewDisposeScope();
        BlockHarness.Randomize(layer, zeros(1), null);
        var x = randn([2, 3, 4, 4], ScalarType.Float64);

        var folded = layer.forward(x);
        var separate = nn.functional.conv2d(x, layer.Weight, layer.Bias, padding: [1, 1]) * (layer.LogScale * 3).exp();

        BlockHarness.AssertClose(separate, folded, 1e-12, "zero convolution with exp(3s) folded into W and b");
    }

    [Fact]
    public void WrongInputShapeNamesExpectedAndActual()
    {
        using var block = new ActNorm(4, 4, 4);
        using var x = zeros(2, 3, 4, 4);

        var error = Assert.Throws<ArgumentException>(() => block.Forward(x));

        Assert.Equal("ActNorm expected input of shape [N, 4, 4, 4], got [2, 3, 4, 4]", error.Message);
    }

    [Fact]
    public void ConditionIsRequiredExactlyWhenDeclared()
    {
        using var conditional = new AffineCoupling(4, 4, 4, 8, conditionChannels: 3);
        using var plain = new AffineCoupling(4, 4, 4, 8);
        using var x = zeros(2, 4, 4, 4);
        using var c = zeros(2, 3, 4, 4);
        using var wrongBatch = zeros(1, 3, 4, 4);

        Assert.Equal("AffineCoupling needs a condition of shape [N, 3, 4, 4], got none (Parameter 'condition')", Assert.Throws<ArgumentException>(() => conditional.Forward(x)).Message);
        Assert.Equal("AffineCoupling is unconditional but a condition of shape [2, 3, 4, 4] was given (Parameter 'condition')", Assert.Throws<ArgumentException>(() => plain.Forward(x, c)).Message);
        Assert.Equal("the condition has batch size 1 but the input has 2 (Parameter 'condition')", Assert.Throws<ArgumentException>(() => conditional.Forward(x, wrongBatch)).Message);
    }

    [Fact]
    public void ActNormInitialisesFromTheFirstBatchOnlyOnce()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        using var block = new ActNorm(2, 3, 3);
        var x = (randn(16, 2, 3, 3) * 3) + 5;

        Assert.True(block.training);
        Assert.False(block.IsInitialized);
        var y = block.Forward(x).Output;

        Assert.True(block.IsInitialized);
        Assert.True(y.mean([0, 2, 3]).abs().max().item<float>() < 1e-5);
        Assert.True((y.std([0, 2, 3], unbiased: false) - 1).abs().max().item<float>() < 1e-4);
        var bias = block.Bias.clone();
        block.Forward(x * 2);
        BlockHarness.AssertClose(bias, block.Bias, 0, "the second batch does not re-initialise");
    }

    [Fact]
    public void ActNormInEvaluationModeNeverInitialises()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        using var block = new ActNorm(2, 3, 3);
        block.eval();
        var x = randn(4, 2, 3, 3) + 5;

        var y = block.Forward(x).Output;

        Assert.False(block.IsInitialized);
        BlockHarness.AssertClose(x, y, 0, "an uninitialised ActNorm is the identity");
    }

    [Fact]
    public void CouplingStartsAsIdentityOnTheKeptHalfAndSigmoidTwoScale()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        using var block = new AffineCoupling(4, 2, 2, 8);
        var x = randn(2, 4, 2, 2);

        var (y, logDet) = block.Forward(x);

        var expectedScale = 1 / (1 + Math.Exp(-2));
        BlockHarness.AssertClose(x.narrow(1, 0, 2), y.narrow(1, 0, 2), 1e-7, "x₁ passes unchanged");
        BlockHarness.AssertClose(x.narrow(1, 2, 2) * expectedScale, y.narrow(1, 2, 2), 1e-6, "x₂ scaled by σ(2)");
        BlockHarness.AssertClose(full([2], 8 * Math.Log(expectedScale)), logDet, 1e-5, "log-det = 8 log σ(2)");
    }

    [Fact]
    public void SoftClampBoundsTheLogScale()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        using var block = new AffineCoupling(2, 2, 2, 4, softClamp: 0.5);
        using (no_grad())
        {
            foreach (var p in block.parameters())
            {
                p.fill_(3); // huge raw scales
            }
        }

        var (_, logDet) = block.Forward(ones(1, 2, 2, 2));

        Assert.True(Math.Abs(logDet.item<float>()) <= 4 * 0.5, $"|log-det| {logDet.item<float>()} exceeds 4 elements × α");
    }

    [Fact]
    public void SqueezeMatchesOpenAiGlowChannelOrder()
    {
        using var leaks = new LeakCheck();
        using var scope = NewDisposeScope();
        using var block = new Squeeze(1, 2, 2);
        var x = arange(0, 4, ScalarType.Float32).reshape(1, 1, 2, 2);

        var y = block.Forward(x).Output;

        Assert.Equal(new long[] { 1, 4, 1, 1 }, y.shape);
        Assert.Equal(new float[] { 0, 1, 2, 3 }, y.data<float>().ToArray());
    }
}
