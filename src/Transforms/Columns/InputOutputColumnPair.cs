namespace MLNetFlows;

/// <summary>An output column and the input column it is computed from.</summary>
public sealed class InputOutputColumnPair
{
    /// <summary>Initializes a pair.</summary>
    /// <param name="outputColumnName">The output column name.</param>
    /// <param name="inputColumnName">The input column name; null for the same as the output.</param>
    public InputOutputColumnPair(string outputColumnName, string? inputColumnName = null)
    {
        OutputColumnName = Guard.NotNullOrEmpty(outputColumnName);
        InputColumnName = inputColumnName ?? outputColumnName;
    }

    /// <summary>Gets the output column name.</summary>
    public string OutputColumnName { get; }

    /// <summary>Gets the input column name.</summary>
    public string InputColumnName { get; }
}
