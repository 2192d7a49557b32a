namespace MLNetFlows.Persistence;

/// <summary>A model file is malformed, truncated, unsafe or of an unsupported version. Loading never uses such a file.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public ModelFormatException()
        : base("The model file is invalid.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What is wrong with the model file.</param>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What is wrong with the model file.</param>
    /// <param name="innerException">The underlying error.</param>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
