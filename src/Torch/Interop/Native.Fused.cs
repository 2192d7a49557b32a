using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

// Mirrors the "fused.cpp: inference-only fused kernels through oneDNN" section of src/Native/include/mlnf.h one-to-one.
internal static partial class Native
{
    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_conv2d_relu_chain(TensorHandle input, IntPtr[] weights, IntPtr[] biases, int count);
}
