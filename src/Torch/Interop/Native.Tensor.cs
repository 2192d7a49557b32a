using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

// Mirrors the "tensor.cpp: creation, metadata, data transfer, autograd" section of src/Native/include/mlnf.h one-to-one.
internal static partial class Native
{
    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_free(IntPtr t);

    [LibraryImport(LibraryName)]
    internal static unsafe partial IntPtr mlnf_tensor_from_data(void* data, long byte_count, long[] shape, int ndim, int dtype, int device_type, int device_index);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_full(long[] shape, int ndim, double value, int dtype, int device_type, int device_index);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_randn(long[] shape, int ndim, int dtype, int device_type, int device_index);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_rand(long[] shape, int ndim, int dtype, int device_type, int device_index);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_randint(long low, long high, long[] shape, int ndim, int device_type, int device_index);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_randperm(long n, int device_type, int device_index);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_arange(double start, double end, double step, int dtype, int device_type, int device_index);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_eye(long n, long m, int dtype, int device_type, int device_index);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int mlnf_tensor_copy_to(TensorHandle t, void* destination, long byte_count);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_item(TensorHandle t, out double value);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_ndim(TensorHandle t);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_shape(TensorHandle t, long[] sizes, int capacity);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_dtype(TensorHandle t);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_device(TensorHandle t, out int device_type, out int device_index);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_to(TensorHandle t, int dtype, int device_type, int device_index);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_clone(TensorHandle t);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_detach(TensorHandle t);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_contiguous(TensorHandle t, int memory_format);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_is_contiguous(TensorHandle t, int memory_format);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_tensor_alias(TensorHandle t);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_requires_grad(TensorHandle t);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_set_requires_grad(TensorHandle t, int requires_grad);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_grad(TensorHandle t, out IntPtr grad);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_reset_grad(TensorHandle t);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_backward(TensorHandle t, TensorHandle gradient, int retain_graph);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_copy_(TensorHandle t, TensorHandle source);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_set_data(TensorHandle t, TensorHandle source);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_fill_(TensorHandle t, double value);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_uniform_(TensorHandle t, double low, double high);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_normal_(TensorHandle t, double mean, double std);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_add_(TensorHandle t, TensorHandle other, double alpha);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_mul_scalar_(TensorHandle t, double value);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_relu_(TensorHandle t);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_addcmul_(TensorHandle t, TensorHandle a, TensorHandle b, double value);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_tensor_addcdiv_(TensorHandle t, TensorHandle a, TensorHandle b, double value);
}
