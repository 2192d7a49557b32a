using MLNetFlows.Models.Flows;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetFlows.Models.InfoGan;

/// <summary>
/// The strided (transposed) convolutions of InfoGAN, run on channels-last activations where
/// <see cref="FlowExecution.UsesChannelsLast"/> applies: libtorch 2.10's NCHW convolution backward returns wrong input
/// gradients on AVX-512 CPUs for some channel counts, and the generator learns only through the discriminator's input
/// gradients. Kernel 4, stride 2, padding 1: a convolution halves each side, an up-convolution doubles it.
/// </summary>
internal static class InfoGanLayers
{
    public const long Kernel = 4;
    public const long Stride = 2;
    public const long Padding = 1;

    /// <summary>A 4×4 stride-2 convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> (halves H and W).</summary>
    public static Conv2d Down(long inChannels, long outChannels)
    {
        using var scope = NewDisposeScope(); // TorchSharp 0.107's constructor leaves one temporary tensor alive otherwise
        return nn.Conv2d(inChannels, outChannels, kernel_size: Kernel, stride: Stride, padding: Padding);
    }

    /// <summary>A 4×4 stride-2 transposed convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> (doubles H and W).</summary>
    public static ConvTranspose2d Up(long inChannels, long outChannels)
    {
        using var scope = NewDisposeScope(); // as in Down
        return nn.ConvTranspose2d(inChannels, outChannels, kernel_size: Kernel, stride: Stride, padding: Padding);
    }

    /// <summary><paramref name="input"/> with channels-last strides when the channels-last path applies to it, else itself.</summary>
    public static Tensor Layout(Tensor input) =>
        FlowExecution.UsesChannelsLast(input) && !FlowExecution.HasChannelsLastStrides(input) ? FlowExecution.ToChannelsLast(input) : input;
}
