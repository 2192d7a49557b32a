using System.Diagnostics;
using System.Globalization;

namespace MLNetFlows.Trainers.Checkpoints;

/// <summary>
/// Removes the temporary files an interrupted atomic write left beside its target: a file is written to a temporary
/// name in the same folder, then renamed over the target, and a process killed in between leaves the temporary file.
/// The names recognised are MLNetFlows' own: <c>.&lt;file name&gt;.&lt;pid&gt;.&lt;32 hex digits&gt;.tmp</c> (checkpoints,
/// safetensors files) and <c>&lt;file name&gt;.&lt;pid&gt;.tmp</c> (the CLI's output files). Nothing else is touched.
/// </summary>
public static class StaleTemporaryFiles
{
    /// <summary>
    /// Deletes the temporary files of <paramref name="fileName"/> in <paramref name="directory"/> that no running write
    /// owns: those of this process (its writes of that file are sequential, so none is in flight while it calls this),
    /// of a process that no longer runs, or of a process started after the file was last written (its id was reused).
    /// Files that cannot be deleted are left; a missing folder is no error.
    /// </summary>
    /// <param name="directory">The folder of the target file.</param>
    /// <param name="fileName">The target's file name, e.g. <c>glow-checkpoint.safetensors</c>.</param>
    /// <returns>The paths deleted.</returns>
    public static IReadOnlyList<string> Remove(string directory, string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var deleted = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.tmp"))
        {
            if (OwnerOf(Path.GetFileName(path), fileName) is { } pid && !IsWrittenByLiveProcess(pid, path))
            {
                try
                {
                    File.Delete(path);
                    deleted.Add(path);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        return deleted;
    }

    /// <summary>The process id in a temporary file name of <paramref name="fileName"/>, or null when the name is not one of ours.</summary>
    internal static int? OwnerOf(string candidate, string fileName)
    {
        const string suffix = ".tmp";
        if (!candidate.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var dotted = "." + fileName + ".";
        if (candidate.StartsWith(dotted, StringComparison.Ordinal))
        {
            // .<file name>.<pid>.<guid, 32 hex digits>.tmp
            var middle = candidate[dotted.Length..^suffix.Length].Split('.');
            return middle is [var pid, var guid] && guid.Length == 32 && guid.All(char.IsAsciiHexDigit) ? Pid(pid) : null;
        }

        var plain = fileName + ".";
        return candidate.StartsWith(plain, StringComparison.Ordinal) ? Pid(candidate[plain.Length..^suffix.Length]) : null;
    }

    private static int? Pid(string text) =>
        text.Length is >= 1 and <= 10 && text.All(char.IsAsciiDigit) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;

    private static bool IsWrittenByLiveProcess(int pid, string path)
    {
        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime() <= File.GetLastWriteTimeUtc(path);
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false; // it exited meanwhile
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return true; // cannot tell: leave it
        }
    }
}
