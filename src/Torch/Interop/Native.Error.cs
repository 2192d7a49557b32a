using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

// Mirrors the "error.cpp: thread-local failure messages" section of src/Native/include/mlnf.h one-to-one.
internal static partial class Native
{
    [LibraryImport(LibraryName)]
    internal static partial IntPtr mlnf_error_take();

    [LibraryImport(LibraryName)]
    internal static partial void mlnf_string_free(IntPtr message);
}
