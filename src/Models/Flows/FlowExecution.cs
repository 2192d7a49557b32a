using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// How the blocks of this library compute, process-wide. The defaults are the fast and correct choices; the switches
/// exist so tests and benchmarks can compare the paths (set them only while no model is running).
/// <list type="bullet">
/// <item><see cref="FoldNormalizations"/>: ActNorm is folded into the adjacent convolution (the coupling network's hidden
/// convolutions, the flow step's invertible 1×1 convolution) and the zero-initialised convolution's exp(3·s) scale into
/// its weight and bias, so each costs one convolution instead of a convolution plus passes over the activations; ReLUs
/// run in place. Exact algebra, so it also holds for training (gradients flow through the folded weights). Off: the
/// block-by-block reference path.</item>
/// <item><see cref="ChannelsLast"/>: CPU float32 convolutions get channels-last activations (strides of
/// [N, H, W, C] for an [N, C, H, W] tensor). Besides being faster, this is a correctness matter: on AVX-512 CPUs
/// libtorch 2.10's NCHW convolution backward returns wrong input gradients for 3×3 convolutions whose output channels
/// are not a multiple of 16 (Glow's zero-initialised output convolutions). Off only to demonstrate or measure that.</item>
/// </list>
/// Its channels-last 1×1 convolution has a defect of its own on such CPUs: for more than 32 output channels that are not
/// a multiple of 32 (measured wrong: 33–45, 65–80, 97–112, 129–136, … output channels from 16 images of 8×8 on; any
/// input channel count) the forward output is off by half its magnitude, while the gradients are right. <see cref="Conv2d"/>
/// computes those as the matrix product they are (<see cref="RunsPointwiseAsMatrixProduct"/>).
/// Every convolution of the library goes through <see cref="Conv2d"/>.
/// </summary>
internal static class FlowExecution
{
    private static volatile bool s_foldNormalizations = true;
    private static volatile bool s_channelsLast = true;

    /// <summary>Whether ActNorm and scales are folded into convolution weights (default true).</summary>
    public static bool FoldNormalizations
    {
        get => s_foldNormalizations;
        set => s_foldNormalizations = value;
    }

    /// <summary>Whether CPU float32 convolutions run on channels-last activations (default true).</summary>
    public static bool ChannelsLast
    {
        get => s_channelsLast;
        set => s_channelsLast = value;
    }

    /// <summary>Called with the shape of every convolution the library runs (tests collect the shapes a model uses).</summary>
    public static Action<ConvolutionShape>? Observer { get; set; }

    /// <summary>
    /// Stride-1 2-D convolution with zero padding <paramref name="padding"/> on every side, on channels-last activations
    /// when <see cref="ChannelsLast"/> applies to <paramref name="input"/>.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, long padding)
    {
        Observer?.Invoke(new ConvolutionShape(weight.size(1), weight.size(0), weight.size(2), input.size(2), input.size(3)));
        if (!UsesChannelsLast(input))
        {
            return nn.functional.conv2d(input, weight, bias, padding: [padding, padding]);
        }

        var x = HasChannelsLastStrides(input) ? input : ToChannelsLast(input);
        if (weight.size(2) == 1 && weight.size(3) == 1 && padding == 0 && RunsPointwiseAsMatrixProduct(weight.size(0)))
        {
            // [N, H, W, C]·Wᵀ + b on the channels-last memory: one matrix product, the result again channels-last.
            using var pixels = x.permute(0, 2, 3, 1);
            using var matrix = weight.flatten(1);
            using var product = nn.functional.linear(pixels, matrix, bias);
            return product.permute(0, 3, 1, 2);
        }

        return nn.functional.conv2d(x, weight, bias, padding: [padding, padding]);
    }

    /// <summary>
    /// Whether a channels-last 1×1 convolution with <paramref name="outputChannels"/> outputs runs as a matrix product
    /// instead of libtorch's convolution, whose forward output is wrong for some of these counts (see the class remarks):
    /// more than 32 that are not a multiple of 32 (a superset of the counts measured wrong, cheaper to state than them).
    /// </summary>
    public static bool RunsPointwiseAsMatrixProduct(long outputChannels) => outputChannels > 32 && outputChannels % 32 != 0;

    /// <summary>Whether <see cref="Conv2d"/> gives <paramref name="input"/> channels-last strides.</summary>
    public static bool UsesChannelsLast(Tensor input) =>
        s_channelsLast && input.device_type == TorchSharp.DeviceType.CPU && input.dtype == ScalarType.Float32;

    /// <summary>
    /// A copy of <paramref name="x"/> [N, C, H, W] with channels-last strides (TorchSharp 0.107 has no
    /// <c>contiguous(memory_format)</c>): the same values and shape, C varying fastest in memory.
    /// </summary>
    public static Tensor ToChannelsLast(Tensor x)
    {
        using var nhwc = x.permute(0, 2, 3, 1);
        using var contiguous = nhwc.contiguous();
        return contiguous.permute(0, 3, 1, 2);
    }

    /// <summary>
    /// Whether the strides of <paramref name="x"/> [N, C, H, W] are ordered as channels-last (C, then W, then H, then N
    /// from fastest to slowest; dimensions of size 1 ignored): libtorch then convolves it channels-last.
    /// </summary>
    public static bool HasChannelsLastStrides(Tensor x)
    {
        if (x.dim() != 4)
        {
            return false;
        }

        long minimum = 0;
        foreach (var d in (ReadOnlySpan<int>)[1, 3, 2, 0])
        {
            var size = x.size(d);
            if (size == 1)
            {
                continue;
            }

            var stride = x.stride(d);
            if (stride < minimum || (d == 1 && stride != 1))
            {
                return false;
            }

            minimum = stride * size;
        }

        return true;
    }
}

/// <summary>The shape of one convolution call: channels in and out, square kernel size, input height and width.</summary>
internal readonly record struct ConvolutionShape(long InChannels, long OutChannels, long Kernel, long Height, long Width);
