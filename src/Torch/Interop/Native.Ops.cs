using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

// Mirrors the "ops.cpp: shape, pointwise, reductions, linear algebra" section of src/Native/include/mlnf.h one-to-one.
internal static partial class Native
{
    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_reshape(TensorHandle t, long[] shape, int ndim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_view(TensorHandle t, long[] shape, int ndim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_permute(TensorHandle t, long[] dims, int ndim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_transpose(TensorHandle t, long dim0, long dim1);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_flatten(TensorHandle t, long start_dim, long end_dim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_squeeze(TensorHandle t, long dim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_unsqueeze(TensorHandle t, long dim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_expand(TensorHandle t, long[] shape, int ndim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_repeat(TensorHandle t, long[] repeats, int ndim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_narrow(TensorHandle t, long dim, long start, long length);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_select(TensorHandle t, long dim, long index);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_flip(TensorHandle t, long[] dims, int ndim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_index_select(TensorHandle t, long dim, TensorHandle index);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_pad(TensorHandle t, long[] pads, int count, int mode, double value);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_cat(IntPtr[] tensors, int count, long dim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_stack(IntPtr[] tensors, int count, long dim);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_ops_chunk(TensorHandle t, long chunks, long dim, IntPtr[] @out, int capacity);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_unary(TensorHandle t, int op);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_binary(TensorHandle a, TensorHandle b, int op);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_binary_scalar(TensorHandle a, double b, int op);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_rsub_scalar(TensorHandle a, double b);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_add_scaled(TensorHandle a, TensorHandle b, double alpha);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_where(TensorHandle condition, TensorHandle a, TensorHandle b);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_clamp(TensorHandle t, int has_min, double min, int has_max, double max);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_leaky_relu(TensorHandle t, double negative_slope);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_softplus(TensorHandle t, double beta, double threshold);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_sum(TensorHandle t, long[] dims, int count, int keepdim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_mean(TensorHandle t, long[] dims, int count, int keepdim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_var(TensorHandle t, long[] dims, int count, int unbiased, int keepdim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_std(TensorHandle t, long[] dims, int count, int unbiased, int keepdim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_logsumexp(TensorHandle t, long[] dims, int count, int keepdim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_amax(TensorHandle t, long[] dims, int count, int keepdim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_amin(TensorHandle t, long[] dims, int count, int keepdim);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_ops_max_dim(TensorHandle t, long dim, int keepdim, out IntPtr values, out IntPtr indices);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_argmax(TensorHandle t, long dim, int keepdim);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_all(TensorHandle t);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_any(TensorHandle t);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_matmul(TensorHandle a, TensorHandle b);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_ops_slogdet(TensorHandle t, out IntPtr sign, out IntPtr logabsdet);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_inverse(TensorHandle t);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_ops_lu_factor(TensorHandle t, out IntPtr lu, out IntPtr pivots);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_ops_lu_unpack(TensorHandle lu, TensorHandle pivots, out IntPtr p, out IntPtr l, out IntPtr u);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_solve_triangular(TensorHandle a, TensorHandle b, int upper, int left, int unitriangular);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_ops_qr(TensorHandle t, int complete, out IntPtr q, out IntPtr r);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_diag(TensorHandle t, long diagonal);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_tril(TensorHandle t, long diagonal);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_ops_triu(TensorHandle t, long diagonal);
}
