namespace MLNetFlows.Trainers.InfoGan;

/// <summary>InfoGAN training stopped because a mode collapse persisted; the message says what happened and what to change.</summary>
public sealed class InfoGanModeCollapseException : InvalidOperationException
{
    /// <summary>Initializes a new instance with a message naming the collapse and the fix.</summary>
    public InfoGanModeCollapseException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with no message.</summary>
    public InfoGanModeCollapseException()
    {
    }

    /// <summary>Initializes a new instance wrapping <paramref name="innerException"/>.</summary>
    public InfoGanModeCollapseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
