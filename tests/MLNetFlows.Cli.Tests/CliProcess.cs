using System.Diagnostics;

namespace MLNetFlows.Cli.Tests;

/// <summary>Runs the mlnetflows tool as users run it: a separate process, with its exit code, stdout and stderr.</summary>
internal static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs <c>mlnetflows</c> with <paramref name="args"/> (without MLNETFLOWS_DEBUG, as users run it).</summary>
    public static CliResult Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    /// <summary>Runs <c>mlnetflows</c> with <paramref name="args"/> and these environment variables set.</summary>
    public static CliResult Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlnetflows.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("MLNETFLOWS_DEBUG");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

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
    /// <summary>The stderr lines, without empty ones.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Asserts the run failed as users must see failures: exit code 1 and exactly one line on stderr, no stack trace.</summary>
    public string AssertOneLineFailure()
    {
        Assert.True(ExitCode == 1, $"expected exit code 1, got {ExitCode}; stderr: {Error}");
        var line = Assert.Single(ErrorLines);
        Assert.StartsWith("mlnetflows: error: ", line, StringComparison.Ordinal);
        return line;
    }

    /// <summary>Asserts the run succeeded, showing stderr otherwise.</summary>
    public CliResult AssertSuccess()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; stderr: {Error}");
        return this;
    }
}
