namespace MLNetFlows.Cli;

/// <summary>
/// A failure the CLI recognised and explains in its message (e.g. libtorch that cannot load, a training run that
/// diverged), where the underlying exception's type alone would read as a bug. Reported as one line, exit code 1.
/// </summary>
internal sealed class CliFailureException : Exception
{
    public CliFailureException(string message)
        : base(message)
    {
    }

    public CliFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
