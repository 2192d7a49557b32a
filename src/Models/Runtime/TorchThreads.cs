using static TorchSharp.torch;

namespace MLNetFlows.Models.Runtime;

/// <summary>
/// libtorch's thread count of ONE thread. <c>torch.set_num_threads</c> changes a process-wide setting (read by every
/// thread on its first parallel operation) and the calling thread's OpenMP and MKL counts; the latter two are per-thread
/// settings of OpenMP and MKL themselves, which this class sets directly, leaving the process-wide one alone.
/// </summary>
internal static class TorchThreads
{
    private static readonly Lazy<(IntPtr OmpSetNumThreads, IntPtr MklSetNumThreadsLocal)> s_functions = new(Resolve);

    /// <summary>Whether <see cref="UseOneThreadOnThisThread"/> can work here (Linux with libtorch's OpenMP and MKL found).</summary>
    public static bool CanSetPerThread => s_functions.Value.OmpSetNumThreads != IntPtr.Zero && s_functions.Value.MklSetNumThreadsLocal != IntPtr.Zero;

    /// <summary>
    /// Makes libtorch run the calling thread's operations on the calling thread alone. Returns false (and changes
    /// nothing) where the per-thread settings cannot be reached.
    /// </summary>
    public static bool UseOneThreadOnThisThread()
    {
        if (!CanSetPerThread)
        {
            return false;
        }

        // libtorch initialises a thread's counts from the process-wide setting on the thread's first parallel operation
        // (or get_num_threads): run that first, or it would undo what follows.
        _ = get_num_threads();
        var (ompSetNumThreads, mklSetNumThreadsLocal) = s_functions.Value;
        unsafe
        {
            ((delegate* unmanaged<int, void>)ompSetNumThreads)(1);
            _ = ((delegate* unmanaged<int, int>)mklSetNumThreadsLocal)(1);
        }

        return get_num_threads() == 1;
    }

    private static (IntPtr, IntPtr) Resolve()
    {
        TorchRuntime.EnsureInitialized();
        if (!OperatingSystem.IsLinux())
        {
            return (IntPtr.Zero, IntPtr.Zero);
        }

        // libtorch_cpu carries MKL statically and needs the OpenMP runtime it ships (libgomp): a symbol lookup through its
        // handle searches both. MKL's C entry point takes the count by value (its lower-case name is the Fortran one,
        // which takes a pointer).
        var library = Posix.DlOpen("libtorch_cpu.so", Posix.RtldNow | Posix.RtldNoLoad);
        return library == IntPtr.Zero
            ? (IntPtr.Zero, IntPtr.Zero)
            : (Posix.DlSym(library, "omp_set_num_threads"), Posix.DlSym(library, "MKL_Set_Num_Threads_Local"));
    }
}
