using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

/// <summary>
/// Declarations of libMLNetFlowsNative.so (one file per native area, named after it) and its loading.
/// The library is looked up in MLNETFLOWS_NATIVE_DIR, next to this assembly, then in the repository's
/// artifacts/native folder (for runs from a source checkout); a failure names what is missing and the fix.
/// </summary>
internal static partial class Native
{
    internal const string LibraryName = "MLNetFlowsNative";
    internal const int Ok = 0;
    private const string FileName = "libMLNetFlowsNative.so";
    private const string DirectoryVariable = "MLNETFLOWS_NATIVE_DIR";

#pragma warning disable CA2255 // A module initializer is the documented way to install a DllImport resolver early.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterResolver() => NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
        {
            return IntPtr.Zero;
        }

        var failures = new List<string>();
        foreach (var candidate in Candidates())
        {
            if (!File.Exists(candidate))
            {
                continue;
            }

            try
            {
                return NativeLibrary.Load(candidate);
            }
            catch (DllNotFoundException e)
            {
                failures.Add($"{candidate}: {e.Message}");
            }
        }

        throw new DllNotFoundException(Explain(failures));
    }

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured)
        {
            yield return Path.Combine(configured, FileName);
        }

        yield return Path.Combine(AppContext.BaseDirectory, FileName);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            yield return Path.Combine(dir.FullName, "artifacts", "native", FileName);
        }
    }

    private static string Explain(List<string> failures)
    {
        if (failures.Count == 0)
        {
            return $"{FileName} was not found next to the application, in ${DirectoryVariable}, or in a parent " +
                   "folder's artifacts/native. Build it with ./build.sh (it installs libtorch-dev and runs CMake), " +
                   $"or set {DirectoryVariable} to the folder that holds it.";
        }

        var detail = string.Join("; ", failures);
        var hint = detail.Contains("libtorch", StringComparison.Ordinal) || detail.Contains("libc10", StringComparison.Ordinal)
            ? "libtorch is missing: install it with 'sudo apt-get install libtorch-dev libopenblas0-openmp' (or ./build.sh), " +
              "or put the lib folder of your libtorch (TORCH_DIR) on LD_LIBRARY_PATH."
            : "The file exists but could not be loaded; rebuild it with ./build.sh.";
        return $"{FileName} could not be loaded: {detail}. {hint}";
    }
}
