using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace MLNetFlows.Models.Runtime;

/// <summary>
/// Process-wide TorchSharp set-up that MLNetFlows does before its first tensor: makes the native library load on
/// systems with a pre-GCC-13 libstdc++ (Debian 12, Ubuntu 22.04; see <see cref="LibstdcxxCompatibility"/>), and keeps
/// libtorch's start-up warnings (e.g. "Could not initialize NNPACK") out of the application's output unless
/// <c>TORCH_CPP_LOG_LEVEL</c> asks for them. Every entry point of the library calls <see cref="EnsureInitialized"/>;
/// an application that uses TorchSharp directly before touching MLNetFlows calls it first.
/// </summary>
public static class TorchRuntime
{
    private const int LogLevelError = 2;
    private static readonly Lock Gate = new();
    private static volatile bool _initialized;
    private static ExceptionDispatchInfo? _failure;

    /// <summary>
    /// Loads and initialises TorchSharp's CPU backend once per process. Safe to call from any thread, any number of
    /// times; a failure is remembered and thrown again by every later call.
    /// </summary>
    /// <exception cref="InvalidOperationException">TorchSharp's native library cannot be loaded; the message names the
    /// real cause and the fix.</exception>
    public static void EnsureInitialized()
    {
        if (_initialized)
        {
            return;
        }

        lock (Gate)
        {
            _failure?.Throw();
            if (_initialized)
            {
                return;
            }

            var repairFailure = LibstdcxxCompatibility.Apply();
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(repairFailure is null ? e : new InvalidOperationException(
                    $"TorchSharp cannot load libLibTorchSharp.so: it needs {LibstdcxxCompatibility.MissingVersion} (std::ios_base_library_init, GCC 13's libstdc++) and this system's libstdc++ is older; the automatic repair failed: {repairFailure}. Fix that, or install a libstdc++ from GCC 13 or later. (TorchSharp said: {e.Message})",
                    e));
                _failure.Throw();
            }

            QuietLibTorchWarnings();
            _initialized = true;
        }
    }

    /// <summary>
    /// Runs <see cref="EnsureInitialized"/> when an MLNetFlows assembly that uses TorchSharp is loaded, before any of its
    /// code touches TorchSharp (module initialisers of MLNetFlows.Models, .Trainers and .Estimators). A failure is not
    /// thrown here, where it would surface as a type-initialisation error of whatever type came first, but by the next
    /// explicit <see cref="EnsureInitialized"/> call of an entry point.
    /// </summary>
    internal static void InitializeOnAssemblyLoad()
    {
        try
        {
            EnsureInitialized();
        }
        catch (Exception)
        {
            // Remembered in _failure and thrown by the next EnsureInitialized call.
        }
    }

    /// <summary>
    /// Flushes denormal floats to zero on the CPU (libtorch's <c>at::Context::setFlushDenormal</c>, which TorchSharp does
    /// not expose). Returns whether the CPU supports it.
    /// </summary>
    public static bool SetFlushDenormal(bool enabled)
    {
        EnsureInitialized();
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var library = Posix.DlOpen("libtorch_cpu.so", Posix.RtldNow | Posix.RtldNoLoad);
        var function = library == IntPtr.Zero ? IntPtr.Zero : Posix.DlSym(library, "_ZN2at7Context16setFlushDenormalEb");
        if (function == IntPtr.Zero)
        {
            return false;
        }

        unsafe
        {
            // A static member function: static bool at::Context::setFlushDenormal(bool on).
            return ((delegate* unmanaged<byte, byte>)function)(enabled ? (byte)1 : (byte)0) != 0;
        }
    }

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "TorchSharp must be made loadable before this library's first tensor; see InitializeOnAssemblyLoad.")]
    internal static void OnModelsAssemblyLoad() => InitializeOnAssemblyLoad();

    private static void QuietLibTorchWarnings()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("TORCH_CPP_LOG_LEVEL") is not null)
        {
            return;
        }

        var c10 = Posix.DlOpen("libc10.so", Posix.RtldNow | Posix.RtldNoLoad);
        var level = c10 == IntPtr.Zero ? IntPtr.Zero : Posix.DlSym(c10, "FLAGS_caffe2_log_level");
        if (level != IntPtr.Zero)
        {
            Marshal.WriteInt32(level, LogLevelError);
        }
    }
}
