using System.Diagnostics;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>Runs the mlnetflows tool as users run it: a separate process, in a working folder, with its exit code and output.</summary>
internal static class ToolProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static ToolResult Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlnetflows.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("MLNETFLOWS_DEBUG");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'mlnetflows {string.Join(' ', args)}' did not finish in {Timeout.TotalMinutes} minutes");
        }

        return new ToolResult(process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>What a run of the tool gave.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    /// <summary>Asserts exit code 1 and exactly one line on stderr (no stack trace), and returns that line.</summary>
    public string OneLineFailure()
    {
        Assert.True(ExitCode == 1, $"expected exit code 1, got {ExitCode}; stderr: {Error}");
        return Assert.Single(Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>Asserts success, showing stderr otherwise.</summary>
    public ToolResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; stderr: {Error}");
        return this;
    }
}
