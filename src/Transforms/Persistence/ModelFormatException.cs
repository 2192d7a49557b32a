namespace MLNetFlows.Persistence;

/// <summary>
/// A saved MLNetFlows component is malformed or does not fit what its manifest declares (a missing or corrupt entry,
/// an invalid parameter, weights of the wrong shape). Thrown while <c>mlContext.Model.Load</c> reads the component,
/// before anything from the file is used; ML.NET may wrap it (see the inner exceptions). The message names the
/// component's directory in the model file and the problem.
/// </summary>
public sealed class ModelFormatException : FormatException
{
    /// <summary>Initializes a new instance.</summary>
    public ModelFormatException()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What is wrong, and where.</param>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What is wrong, and where.</param>
    /// <param name="innerException">The underlying error.</param>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
