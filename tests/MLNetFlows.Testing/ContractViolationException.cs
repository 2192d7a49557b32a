namespace MLNetFlows.Testing;

/// <summary>
/// A component broke a shared contract checked by a test harness (the estimator contract, a leak check): the message
/// names the rule and how it was broken.
/// </summary>
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
