using System.Diagnostics;

namespace MLNetFlows.Reliability.Tests.Cli;

/// <summary>
/// Runs the <c>mlnetflows</c> tool (built beside this assembly) as users run it: a separate process, with a time limit,
/// its exit code, stdout and stderr. Without MLNETFLOWS_DEBUG, so failures look as users see them.
/// </summary>
internal static class Tool
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "mlnetflows.dll");

    /// <summary>Runs the tool with <paramref name="args"/> and waits at most <see cref="DefaultTimeout"/>.</summary>
    public static ToolResult Run(params string[] args) => Run(DefaultTimeout, args);

    /// <summary>Runs the tool; a run longer than <paramref name="timeout"/> is killed and reported as hung.</summary>
    public static ToolResult Run(TimeSpan timeout, params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ToolResult(-1, output.Result, error.Result, clock.Elapsed, HungAfter: timeout);
        }

        process.WaitForExit();
        return new ToolResult(process.ExitCode, output.Result, error.Result, clock.Elapsed, HungAfter: null);
    }

    /// <summary>Starts the tool with redirected output (the caller reads, waits for or kills it).</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("MLNETFLOWS_DEBUG");
        return Process.Start(start)!;
    }
}

/// <summary>What one run of the tool gave.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error, TimeSpan Elapsed, TimeSpan? HungAfter)
{
    /// <summary>Gets the stderr lines without progress bars and empty lines.</summary>
    public string[] ErrorLines => [.. Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(l => !ProgressPrefixes.Any(p => l.StartsWith(p, StringComparison.Ordinal)) || !l.Contains(" [", StringComparison.Ordinal))];

    /// <summary>Whether the run ended as every expected failure must: exit code 1, one line "mlnetflows: error: …".</summary>
    public bool IsOneLineFailure => HungAfter is null && ExitCode == 1 && ErrorLines is [var line] && line.StartsWith("mlnetflows: error: ", StringComparison.Ordinal);

    private static readonly string[] ProgressPrefixes = ["score", "train"];

    /// <summary>Asserts a one-line failure and returns the line.</summary>
    public string AssertOneLineFailure()
    {
        Assert.True(IsOneLineFailure, $"expected exit code 1 and one 'mlnetflows: error:' line; got {Describe()}");
        return ErrorLines[0];
    }

    /// <summary>
    /// Asserts a failure after progress output (training logs its epochs to stderr): exit code 1, the last stderr line
    /// "mlnetflows: error: …", and no stack trace anywhere. Returns the last line.
    /// </summary>
    public string AssertFailureAfterProgress()
    {
        Assert.True(HungAfter is null && ExitCode == 1 && ErrorLines.Length > 0, $"expected exit code 1; got {Describe()}");
        Assert.DoesNotContain(ErrorLines, l => l.StartsWith("at ", StringComparison.Ordinal) || l.Contains("Unhandled exception", StringComparison.Ordinal));
        Assert.StartsWith("mlnetflows: error: ", ErrorLines[^1], StringComparison.Ordinal);
        return ErrorLines[^1];
    }

    /// <summary>Asserts success.</summary>
    public ToolResult AssertSuccess()
    {
        Assert.True(HungAfter is null && ExitCode == 0, $"expected success; got {Describe()}");
        return this;
    }

    public string Describe() => HungAfter is { } limit ? $"no exit within {limit.TotalSeconds:F0} s (hang)" : $"exit code {ExitCode}; stderr: {Error}";
}
