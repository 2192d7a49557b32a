using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch.NN;

/// <summary>
/// Inference-only fused kernels, run through oneDNN (the library libtorch's CPU convolutions use) on CPU float32
/// tensors when autograd is not recording. Models ask <see cref="Applies"/> and fall back to the ordinary ops otherwise,
/// so training, CUDA and float64 take the usual path with the same results up to float rounding.
/// </summary>
public static class FusedInference
{
    private static volatile bool s_enabled = true;

    /// <summary>Whether models may use the fused kernels (default true); off, they always take the ordinary ops.</summary>
    public static bool Enabled
    {
        get => s_enabled;
        set => s_enabled = value;
    }

    /// <summary>Whether the fused kernels can run on <paramref name="input"/> now: enabled, CPU, float32, autograd not recording.</summary>
    public static bool Applies(Tensor input) =>
        s_enabled && input.Device.Type == DeviceType.Cpu && input.DType == DType.Float32 && !Autograd.IsGradEnabled;

    /// <summary>
    /// ReLU(conv(x, W₀) + b₀) → … → conv(·, Wₙ₋₁) + bₙ₋₁: stride-1 convolutions with odd square kernels [out, in, k, k],
    /// zero padding k/2 ("same"), and a ReLU after every layer but the last, fused into the convolution. Hidden
    /// activations stay channels-last, saving the layout conversions and ReLU passes of <see cref="Functional.Conv2d"/>
    /// + ReLU. Returns a channels-last [N, out, H, W] tensor. CPU float32, inference only: throws otherwise.
    /// </summary>
    public static Tensor Conv2dReluChain(Tensor input, IReadOnlyList<(Tensor Weight, Tensor Bias)> layers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(layers.Count);
        using var weights = new HandleArray([.. layers.Select(l => l.Weight)]);
        using var biases = new HandleArray([.. layers.Select(l => l.Bias)]);
        return new Tensor(Native.mlnf_nn_conv2d_relu_chain(input.Handle, weights.Pointers, biases.Pointers, layers.Count));
    }
}
