namespace MLNetFlows;

/// <summary>The kind of a log message.</summary>
public enum ChannelMessageKind
{
    /// <summary>Detailed tracing.</summary>
    Trace,

    /// <summary>Information.</summary>
    Info,

    /// <summary>A warning.</summary>
    Warning,

    /// <summary>An error.</summary>
    Error,
}

/// <summary>A message raised through <see cref="MLContext.Log"/>.</summary>
public sealed class LoggingEventArgs : EventArgs
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    /// <param name="kind">The message kind.</param>
    /// <param name="source">The component that wrote the message.</param>
    public LoggingEventArgs(string message, ChannelMessageKind kind, string source)
    {
        Message = Guard.NotNull(message);
        Kind = kind;
        Source = Guard.NotNull(source);
    }

    /// <summary>Gets the message, prefixed with its kind and source like ML.NET: <c>[Source] Message</c>.</summary>
    public string Message { get; }

    /// <summary>Gets the message kind.</summary>
    public ChannelMessageKind Kind { get; }

    /// <summary>Gets the component that wrote the message.</summary>
    public string Source { get; }
}
