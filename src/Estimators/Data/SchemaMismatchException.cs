namespace MLNetFlows.Estimators.Data;

/// <summary>
/// An input column is missing or has the wrong type. Thrown by our estimators' and transformers'
/// <c>GetOutputSchema</c>, <c>Fit</c> and <c>Transform</c>; the message names the column, the expected type and the
/// actual type. Derives from <see cref="ArgumentOutOfRangeException"/>, like ML.NET's own schema mismatch errors, so
/// code that catches those catches these.
/// </summary>
public sealed class SchemaMismatchException : ArgumentOutOfRangeException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="columnName">The input column.</param>
    /// <param name="expectedType">A description of the expected type, e.g. "Vector&lt;Single, 784&gt;".</param>
    /// <param name="actualType">A description of the actual type, or null when the column is missing.</param>
    public SchemaMismatchException(string columnName, string expectedType, string? actualType)
        : base(
            "inputSchema",
            actualType is null
                ? $"Input column '{columnName}' not found: expected a column of type {expectedType}, got no such column."
                : $"Schema mismatch for input column '{columnName}': expected {expectedType}, got {actualType}.")
    {
        ColumnName = columnName;
        ExpectedType = expectedType;
        ActualType = actualType;
    }

    /// <summary>Gets the input column name.</summary>
    public string ColumnName { get; }

    /// <summary>Gets a description of the expected type.</summary>
    public string ExpectedType { get; }

    /// <summary>Gets a description of the actual type, or null when the column is missing.</summary>
    public string? ActualType { get; }
}
