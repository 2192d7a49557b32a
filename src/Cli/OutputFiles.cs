namespace MLNetFlows.Cli;

/// <summary>
/// Files the CLI writes (model zips, CSVs, PNGs, the report): their folder is checked before any work starts, and each
/// is written to a temporary name beside the target and renamed into place, so a failed or killed run never leaves a
/// partial file under the final name (and removes its temporary file when it can).
/// </summary>
internal static class OutputFiles
{
    /// <summary>Fails now, not after hours of work, when <paramref name="path"/>'s folder does not exist.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="option">The option that named it, for the message.</param>
    public static void RequireFolder(string path, string option)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (string.IsNullOrWhiteSpace(path) || folder is null || !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{option} '{path}': the folder '{folder}' does not exist; create it first or choose another path");
        }
    }

    /// <summary>Writes <paramref name="path"/> atomically through <paramref name="write"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
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

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    public static void WriteAllText(string path, string text) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(text);
    });
}
