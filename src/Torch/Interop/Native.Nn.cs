using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

// Mirrors the "nn.cpp: functionals, losses, initialisers" section of src/Native/include/mlnf.h one-to-one.
internal static partial class Native
{
    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_conv2d(TensorHandle input, TensorHandle weight, TensorHandle bias, long stride_h, long stride_w, long padding_h, long padding_w, long dilation_h, long dilation_w, long groups);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_conv_transpose2d(TensorHandle input, TensorHandle weight, TensorHandle bias, long stride_h, long stride_w, long padding_h, long padding_w, long output_padding_h, long output_padding_w, long dilation_h, long dilation_w, long groups);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_linear(TensorHandle input, TensorHandle weight, TensorHandle bias);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_batch_norm(TensorHandle input, TensorHandle weight, TensorHandle bias, TensorHandle running_mean, TensorHandle running_var, int training, double momentum, double eps);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_dropout(TensorHandle input, double p, int training);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_softmax(TensorHandle input, long dim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_log_softmax(TensorHandle input, long dim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_cross_entropy(TensorHandle logits, TensorHandle target, int reduction);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_binary_cross_entropy_with_logits(TensorHandle logits, TensorHandle target, int reduction);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_mse_loss(TensorHandle input, TensorHandle target, int reduction);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_one_hot(TensorHandle indices, long num_classes);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_avg_pool2d(TensorHandle input, long kernel_h, long kernel_w, long stride_h, long stride_w, long padding_h, long padding_w);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_nn_interpolate(TensorHandle input, long height, long width, int mode);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_nn_init_xavier_uniform_(TensorHandle t, double gain);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_nn_init_kaiming_uniform_(TensorHandle t, double a);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_nn_init_kaiming_normal_(TensorHandle t, double a);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_nn_init_orthogonal_(TensorHandle t, double gain);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_nn_clip_grad_norm_(IntPtr[] @params, int count, double max_norm, out double total_norm);
}
