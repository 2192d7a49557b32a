namespace MLNetFlows.Testing;

/// <summary>An estimator or transformer broke the shared contract checked by <see cref="EstimatorContract"/>.</summary>
public sealed class ContractViolationException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public ContractViolationException()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">Which rule was broken and how.</param>
    public ContractViolationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">Which rule was broken and how.</param>
    /// <param name="innerException">The underlying error.</param>
    public ContractViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
