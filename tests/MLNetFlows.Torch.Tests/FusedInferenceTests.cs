using MLNetFlows.Torch.NN;

namespace MLNetFlows.Torch.Tests;

/// <summary>The oneDNN conv → ReLU chain equals the ordinary ops, and refuses what it cannot run with a clear message.</summary>
public sealed class FusedInferenceTests
{
    private static (Tensor Weight, Tensor Bias)[] Layers(params (long Out, long In, long Kernel)[] shapes) =>
        [.. shapes.Select(s => (Tensor.Randn([s.Out, s.In, s.Kernel, s.Kernel]) * 0.2, Tensor.Randn([s.Out]) * 0.1))];

    private static Tensor Reference(Tensor input, IReadOnlyList<(Tensor Weight, Tensor Bias)> layers)
    {
        var h = input;
        for (var i = 0; i < layers.Count; i++)
        {
            var (weight, bias) = layers[i];
            h = Functional.Conv2d(h, weight, bias, padding: (int)weight.Size(2) / 2);
            h = i + 1 < layers.Count ? h.Relu() : h;
        }

        return h;
    }

    [Theory]
    [InlineData(16, 2, 16)] // Glow level 0 on 32×32: 2 → 128 → 128 → 4 on 16×16 (hidden 16 here)
    [InlineData(8, 4, 24)]
    [InlineData(3, 8, 9)] // odd side, channel counts off oneDNN's block size
    [InlineData(1, 1, 1)]
    public void ChainEqualsConvolutionsAndReLUs(int side, int inChannels, int hidden)
    {
        using var leaks = new LeakCheck();
        using var scope = DisposeScope.Enter();
        TorchRuntime.ManualSeed(3);
        var input = Tensor.Randn([5, inChannels, side, side]);
        var layers = Layers((hidden, inChannels, 3), (hidden, hidden, 1), (2 * inChannels, hidden, 3));
        using var inference = Autograd.InferenceMode();

        var fused = FusedInference.Conv2dReluChain(input, layers);

        Assert.Equal([5, 2 * inChannels, side, side], fused.Shape.ToArray());
        TensorAssert.Close(Reference(input, layers), fused, atol: 1e-5, rtol: 1e-5);
    }

    [Fact]
    public void ANonContiguousInputAndASingleLayerWork()
    {
        using var scope = DisposeScope.Enter();
        TorchRuntime.ManualSeed(4);
        var wide = Tensor.Randn([3, 6, 7, 7]);
        var input = wide.Narrow(1, 2, 3); // a channel slice, as a coupling's first half is
        var layers = Layers((4, 3, 5));
        using var noGrad = Autograd.NoGrad();

        TensorAssert.Close(Reference(input, layers), FusedInference.Conv2dReluChain(input, layers), atol: 1e-5, rtol: 1e-5);
    }

    [Fact]
    public void AppliesOnlyToCpuFloat32WithoutAutograd()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Zeros([1, 1, 2, 2]);
        Assert.False(FusedInference.Applies(x)); // grad mode is on
        using (Autograd.NoGrad())
        {
            Assert.True(FusedInference.Applies(x));
            Assert.False(FusedInference.Applies(x.To(DType.Float64)));
            FusedInference.Enabled = false;
            try
            {
                Assert.False(FusedInference.Applies(x));
            }
            finally
            {
                FusedInference.Enabled = true;
            }
        }
    }

    [Fact]
    public void WeightsThatRequireGradAreRefusedWhileAutogradRecords()
    {
        using var leaks = new LeakCheck();
        using var scope = DisposeScope.Enter();
        var layers = Layers((4, 1, 3));
        layers[0].Weight.RequiresGrad = true;

        var error = Assert.Throws<TorchException>(() => FusedInference.Conv2dReluChain(Tensor.Zeros([1, 1, 4, 4]), layers));

        Assert.Contains("conv2d_relu_chain: weight 0 requires grad; the fused path is inference-only", error.Message);
    }

    [Fact]
    public void Float64AndMismatchedLayersAreRefusedByName()
    {
        using var leaks = new LeakCheck();
        using var scope = DisposeScope.Enter();
        using var noGrad = Autograd.NoGrad();
        var input = Tensor.Zeros([1, 2, 4, 4]);

        var dtype = Assert.Throws<TorchException>(() => FusedInference.Conv2dReluChain(input.To(DType.Float64), Layers((4, 2, 3))));
        Assert.Contains("input 0 must be a float32 CPU tensor", dtype.Message);

        var channels = Assert.Throws<TorchException>(() => FusedInference.Conv2dReluChain(input, Layers((4, 2, 3), (4, 5, 1))));
        Assert.Contains("weight 1 must be [C_out, 4, k, k] with odd k, got [4, 5, 1, 1]", channels.Message);

        var even = Assert.Throws<TorchException>(() => FusedInference.Conv2dReluChain(input, Layers((4, 2, 2))));
        Assert.Contains("with odd k, got [4, 2, 2, 2]", even.Message);

        var bias = Assert.Throws<TorchException>(() => FusedInference.Conv2dReluChain(input, [(Tensor.Zeros([4, 2, 3, 3]), Tensor.Zeros([3]))]));
        Assert.Contains("bias 0 must be [4], got [3]", bias.Message);
    }
}
