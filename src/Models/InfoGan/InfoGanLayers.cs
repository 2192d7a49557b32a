using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Runtime;
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

    /// <summary>
    /// <paramref name="layer"/> (a <see cref="Down"/> convolution) applied to <paramref name="input"/>. A one-channel input
    /// has the same strides in both layouts, so libtorch takes the NCHW path, whose backward reads uninitialised memory
    /// for the input gradient on this CPU (measured: the generator's gradients through D turned NaN in 101 of 300 steps
    /// when freed memory held NaNs; correct only while the allocator hands out fresh zeroed pages). So a one-channel
    /// input is convolved as unfold + matrix product (backward: col2im and a matrix product) — the same values up to
    /// float rounding.
    /// </summary>
    public static Tensor Convolve(Conv2d layer, Tensor input)
    {
        if (input.size(1) != 1 || !FlowExecution.UsesChannelsLast(input))
        {
            return layer.call(Layout(input));
        }

        using var scope = NewDisposeScope();
        var columns = nn.functional.unfold(input, Kernel, padding: Padding, stride: Stride); // [N, K·K, L]
        var weight = layer.weight!.view(layer.weight.size(0), -1);                         // [O, K·K]
        var output = weight.matmul(columns).add(layer.bias!.view(1, -1, 1), Scalars.One);  // [N, O, L]
        return output.view(input.size(0), -1, input.size(2) / Stride, input.size(3) / Stride).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="input"/> with channels-last strides when the channels-last path applies to it, else itself.</summary>
    public static Tensor Layout(Tensor input) =>
        FlowExecution.UsesChannelsLast(input) && !FlowExecution.HasChannelsLastStrides(input) ? FlowExecution.ToChannelsLast(input) : input;
}
