using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// The subnetwork of a coupling block (openai/glow's <c>f</c>): 3×3 conv → ActNorm → ReLU → 1×1 conv → ActNorm → ReLU →
/// zero-initialised 3×3 conv. The hidden convolutions have no bias (ActNorm provides it). Every ActNorm and scale is
/// folded into its convolution; without autograd on the CPU in float32 the three run as one
/// <see cref="FusedInference.Conv2dReluChain"/>.
/// </summary>
public sealed class CouplingNetwork : Module<Tensor, Tensor>
{
    private readonly Conv2d _first;
    private readonly ActNorm _firstNorm;
    private readonly Conv2d _second;
    private readonly ActNorm _secondNorm;
    private readonly ZeroConv2d _last;

    /// <summary>Creates the network for inputs [N, <paramref name="inChannels"/>, H, W].</summary>
    public CouplingNetwork(long inChannels, long hiddenChannels, long outChannels, long height, long width)
    {
        _first = RegisterModule("conv1", new Conv2d(inChannels, hiddenChannels, 3, padding: 1, bias: false));
        _firstNorm = RegisterModule("norm1", new ActNorm(hiddenChannels, height, width));
        _second = RegisterModule("conv2", new Conv2d(hiddenChannels, hiddenChannels, 1, bias: false));
        _secondNorm = RegisterModule("norm2", new ActNorm(hiddenChannels, height, width));
        _last = RegisterModule("conv3", new ZeroConv2d(hiddenChannels, outChannels));
        using (Autograd.NoGrad())
        {
            _first.Weight.Normal_(0, 0.05);
            _second.Weight.Normal_(0, 0.05);
        }
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        if (_firstNorm.IsInitialized && _secondNorm.IsInitialized && FusedInference.Applies(input))
        {
            // Scoring on the CPU: the three convolutions with their ActNorms and scale folded in, as one oneDNN chain
            // with fused ReLUs and channels-last activations (no layout conversions, no ReLU passes).
            return scope.MoveToOuter(FusedInference.Conv2dReluChain(input, [_firstNorm.FoldInto(_first.Weight), _secondNorm.FoldInto(_second.Weight), _last.Folded()]));
        }

        // On the CPU in float32 the activations are kept channels-last, so oneDNN convolves them forward and backward
        // without converting layouts (as PyTorch's channels_last). In-place ReLU on fresh convolution outputs: one
        // allocation and one pass fewer per layer, autograd-safe because a convolution's backward needs its input and
        // weight, not its output.
        var x = input.Device.Type == DeviceType.Cpu && input.DType == DType.Float32 ? input.Contiguous(MemoryFormat.ChannelsLast) : input;
        var h = _firstNorm.ConvolveThenNormalize(x, _first.Weight, padding: 1).Relu_();
        h = _secondNorm.ConvolveThenNormalize(h, _second.Weight, padding: 0).Relu_();
        return scope.MoveToOuter(_last.Forward(h));
    }
}
