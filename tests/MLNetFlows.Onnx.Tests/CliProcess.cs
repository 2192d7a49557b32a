using System.Diagnostics;

namespace MLNetFlows.Onnx.Tests;

/// <summary>Runs the mlnetflows tool as users run it: a separate process, with its exit code, stdout and stderr.</summary>
internal static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static CliResult Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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

        return new CliResult(process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>What a run of the tool gave.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>Asserts exit code 1 and exactly one line on stderr, and returns it.</summary>
    public string AssertOneLineFailure()
    {
        Assert.True(ExitCode == 1, $"expected exit code 1, got {ExitCode}; stderr: {Error}");
        var line = Assert.Single(Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("mlnetflows: error: ", line, StringComparison.Ordinal);
        return line;
    }

    public CliResult AssertSuccess()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; stderr: {Error}");
        return this;
    }
}
