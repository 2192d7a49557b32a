using System.Runtime.InteropServices;

namespace MLNetFlows.Models.Runtime;

/// <summary>The few dynamic-loader calls of glibc that the TorchSharp set-up needs (Linux only).</summary>
internal static partial class Posix
{
    /// <summary>Resolve every symbol at load time.</summary>
    public const int RtldNow = 0x2;

    /// <summary>Only return a handle if the library is already loaded.</summary>
    public const int RtldNoLoad = 0x4;

    /// <summary>Make the library's symbols available to libraries loaded later.</summary>
    public const int RtldGlobal = 0x100;

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr DlOpen(string? path, int flags);

    [LibraryImport("libc", EntryPoint = "dlsym", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr DlSym(IntPtr handle, string symbol);

    [LibraryImport("libc", EntryPoint = "dlvsym", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr DlVSym(IntPtr handle, string symbol, string version);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    private static partial IntPtr DlErrorPointer();

    /// <summary>The loader's last error message, or "unknown error".</summary>
    public static string DlError() => Marshal.PtrToStringUTF8(DlErrorPointer()) ?? "unknown error";

    /// <summary>Loads a library by path (or soname) and throws with the loader's message when it fails.</summary>
    public static IntPtr Load(string path, int flags)
    {
        var handle = DlOpen(path, flags);
        return handle != IntPtr.Zero ? handle : throw new DllNotFoundException(DlError());
    }
}
