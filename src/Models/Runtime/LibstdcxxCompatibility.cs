using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp;

namespace MLNetFlows.Models.Runtime;

/// <summary>
/// Makes TorchSharp's native library load where the system's libstdc++ predates GCC 13 (Debian 12, Ubuntu 22.04).
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> requires version <c>GLIBCXX_3.4.32</c> for one symbol,
/// <c>std::ios_base_library_init()</c>; such systems stop at GLIBCXX_3.4.30 and the load fails (TorchSharp then blames
/// a missing libtorch package reference). The repair, applied only when the symbol is missing:
/// <list type="number">
/// <item>load <c>libmlnetflows_glibcxx_compat.so</c> (built from <c>glibcxx_compat.cpp</c> with the system's g++ and
/// shipped beside this assembly) with global symbol visibility, so it provides the symbol;</item>
/// <item>write a copy of <c>libLibTorchSharp.so</c> whose requirement of GLIBCXX_3.4.32 is marked weak (the original is
/// never changed; the copy goes to a cache folder, named by the original's hash, written atomically);</item>
/// <item>load libtorch's libraries and the copy, and answer TorchSharp's requests for "LibTorchSharp" with it.</item>
/// </list>
/// On systems whose libstdc++ has the symbol nothing is done.
/// </summary>
internal static class LibstdcxxCompatibility
{
    internal const string MissingVersion = "GLIBCXX_3.4.32";
    internal const string MissingSymbol = "_ZSt21ios_base_library_initv";
    internal const string CompatLibraryName = "libmlnetflows_glibcxx_compat.so";
    private const string TorchSharpLibraryName = "libLibTorchSharp.so";
    private static readonly string[] LibTorchLibraries = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    /// <summary>Whether the process's libstdc++ defines <c>std::ios_base_library_init</c> at GLIBCXX_3.4.32.</summary>
    public static bool SystemLibstdcxxHasSymbol()
    {
        var handle = Posix.DlOpen("libstdc++.so.6", Posix.RtldNow);
        return handle == IntPtr.Zero || Posix.DlVSym(handle, MissingSymbol, MissingVersion) != IntPtr.Zero;
    }

    /// <summary>
    /// Applies the repair if this system needs it. Returns null when nothing was needed or the repair succeeded, else
    /// the reason it could not be applied (TorchSharp's own load will then fail, and the caller reports this reason).
    /// </summary>
    public static string? Apply()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || SystemLibstdcxxHasSymbol())
        {
            return null;
        }

        var original = FindTorchSharpLibrary();
        if (original is null)
        {
            return $"{TorchSharpLibraryName} was not found beside the application: reference the TorchSharp-cpu (or TorchSharp-cuda-linux) package in the application";
        }

        var compat = Path.Combine(Path.GetDirectoryName(typeof(LibstdcxxCompatibility).Assembly.Location) ?? AppContext.BaseDirectory, CompatLibraryName);
        if (!File.Exists(compat))
        {
            compat = Path.Combine(AppContext.BaseDirectory, CompatLibraryName);
        }

        if (!File.Exists(compat))
        {
            return $"{CompatLibraryName} is missing beside the application: it is built with g++ when MLNetFlows.Models is built; install g++ and rebuild";
        }

        try
        {
            Posix.Load(compat, Posix.RtldNow | Posix.RtldGlobal);
            var directory = Path.GetDirectoryName(original)!;
            foreach (var library in LibTorchLibraries)
            {
                Posix.Load(Path.Combine(directory, library), Posix.RtldNow | Posix.RtldGlobal);
            }

            var handle = Posix.Load(WritePatchedCopy(original), Posix.RtldNow);
            NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, (name, _, _) => name.Contains("LibTorchSharp", StringComparison.Ordinal) ? handle : IntPtr.Zero);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    private static string? FindTorchSharpLibrary()
    {
        var torchSharpDirectory = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, TorchSharpLibraryName),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", TorchSharpLibraryName),
            .. torchSharpDirectory is null ? [] : new[] { Path.Combine(torchSharpDirectory, TorchSharpLibraryName) },
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    private static string WritePatchedCopy(string original)
    {
        var bytes = File.ReadAllBytes(original);
        var hash = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        var cache = Path.Combine(CacheDirectory(), $"libLibTorchSharp-{hash}");
        var target = Path.Combine(cache, TorchSharpLibraryName);
        if (File.Exists(target))
        {
            return target;
        }

        if (ElfVersionNeeds.MarkWeak(bytes, MissingVersion) == 0)
        {
            throw new InvalidDataException($"{original} does not require {MissingVersion}; this repair does not apply to it");
        }

        Directory.CreateDirectory(cache);
        var temporary = Path.Combine(cache, $"{TorchSharpLibraryName}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, target, overwrite: true);
        return target;
    }

    private static string CacheDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("MLNETFLOWS_CACHE");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return !string.IsNullOrEmpty(xdg) ? Path.Combine(xdg, "mlnetflows")
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache", "mlnetflows")
            : Path.Combine(Path.GetTempPath(), "mlnetflows");
    }
}
