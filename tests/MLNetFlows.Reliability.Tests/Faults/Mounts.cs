using System.Diagnostics;

namespace MLNetFlows.Reliability.Tests.Faults;

/// <summary>Small tmpfs mounts that make real read-only and full file systems for the fault tests (needs root, as here).</summary>
internal static class Mounts
{
    /// <summary>Mounts a tmpfs with <paramref name="options"/> (e.g. "ro,size=1m", "size=48k") at <paramref name="path"/>; unmounted on dispose.</summary>
    public static Mount Tmpfs(string path, string options)
    {
        Directory.CreateDirectory(path);
        var (code, error) = Execute("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        Assert.True(code == 0, $"cannot mount a tmpfs at {path} ({error.Trim()}): the disk fault tests need root (CAP_SYS_ADMIN)");
        return new Mount(path);
    }

    private static (int Code, string Error) Execute(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }

    /// <summary>A mounted tmpfs.</summary>
    internal sealed class Mount(string path) : IDisposable
    {
        public string Path { get; } = path;

        public void Dispose() => Execute("umount", Path);
    }
}
