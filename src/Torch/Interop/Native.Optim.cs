using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

// Mirrors the "optim.cpp: libtorch's Adam" section of src/Native/include/mlnf.h one-to-one.
internal static partial class Native
{
    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_optim_adam_create(IntPtr[] @params, int count, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_optim_free(IntPtr optimizer);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_optim_step(OptimizerHandle optimizer);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_optim_zero_grad(OptimizerHandle optimizer);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_optim_set_lr(OptimizerHandle optimizer, double lr);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_optim_get_lr(OptimizerHandle optimizer, out double lr);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_optim_adam_get_state(OptimizerHandle optimizer, int index, out long step, out IntPtr exp_avg, out IntPtr exp_avg_sq, out IntPtr max_exp_avg_sq);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_optim_adam_set_state(OptimizerHandle optimizer, int index, long step, TensorHandle exp_avg, TensorHandle exp_avg_sq, TensorHandle max_exp_avg_sq);
}
