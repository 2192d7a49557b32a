using MLNetFlows.Trainers.Checkpoints;

namespace MLNetFlows.Cli;

/// <summary>
/// Files the CLI writes (model zips, CSVs, PNGs, the report): their folder is checked before any work starts, and each
/// is written to a temporary name beside the target and renamed into place, so a failed or killed run never leaves a
/// partial file under the final name (and removes its temporary file when it can).
/// </summary>
internal static class OutputFiles
{
    /// <summary>
    /// Fails now, not after hours of work, when <paramref name="path"/>'s folder does not exist or cannot be written
    /// (read-only file system, no permission).
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="option">The option that named it, for the message.</param>
    public static void RequireFolder(string path, string option)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (string.IsNullOrWhiteSpace(path) || folder is null || !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{option} '{path}': the folder '{folder}' does not exist; create it first or choose another path");
        }

        RequireWritable(folder, $"{option} '{path}'");
    }

    /// <summary>Creates <paramref name="folder"/> if needed and fails now when files cannot be written in it.</summary>
    /// <param name="folder">The folder (e.g. of checkpoints).</param>
    /// <param name="option">The option that named it, for the message.</param>
    public static void RequireWritableFolder(string folder, string option)
    {
        var subject = $"{option} '{folder}'";
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliFailureException($"{subject}: cannot create the folder ({CliErrors.OneLine(e.Message)}); choose another path", e);
        }

        RequireWritable(folder, subject);
    }

    /// <summary>
    /// Writes <paramref name="path"/> atomically through <paramref name="write"/>. A failure of the file itself (disk
    /// full, read-only file system) is a <see cref="CliFailureException"/> naming <paramref name="path"/>; nothing is left under
    /// that name or the temporary one.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        StaleTemporaryFiles.Remove(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileName(path));
        try
        {
            using (var stream = new OutputFileStream(path, temporary))
            {
                write(stream);
                stream.FlushToDisk();
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Creates and deletes a probe file in <paramref name="folder"/>; a failure names <paramref name="subject"/>.</summary>
    private static void RequireWritable(string folder, string subject)
    {
        var probe = Path.Combine(folder, $".mlnetflows-write-probe.{Environment.ProcessId}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliFailureException($"{subject}: cannot write in the folder '{folder}' ({CliErrors.OneLine(e.Message)}); choose another path or make it writable", e);
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    public static void WriteAllText(string path, string text) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(text);
    });
}
