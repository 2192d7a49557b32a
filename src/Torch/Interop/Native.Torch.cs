using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

// Mirrors the "torch.cpp: runtime, devices, autograd modes" section of src/Native/include/mlnf.h one-to-one.
internal static partial class Native
{
    [LibraryImport(LibraryName)]
    internal static unsafe partial int mlnf_torch_version(byte* buffer, int capacity);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_torch_manual_seed(ulong seed);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_torch_set_num_threads(int threads);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_torch_get_num_threads();

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_torch_set_flush_denormal(int enabled);

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_torch_cuda_is_available();

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_torch_cuda_device_count();

    [LibraryImport(LibraryName)]
    internal static partial long mlnf_torch_live_tensor_count();

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_torch_is_grad_enabled();

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_torch_set_grad_enabled(int enabled);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_torch_inference_mode_enter();

    [LibraryImport(LibraryName)]
    internal static partial int mlnf_torch_guard_free(IntPtr guard);
}
