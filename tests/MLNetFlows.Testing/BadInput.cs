using Microsoft.ML;

namespace MLNetFlows.Testing;

/// <summary>Input that an estimator must refuse, with the column, expected type and actual type its error must name.</summary>
/// <param name="Data">The bad input.</param>
/// <param name="ColumnName">The offending column.</param>
/// <param name="ExpectedType">Text the message must contain about the expected type.</param>
/// <param name="ActualType">Text the message must contain about the actual type, or null when the column is missing.</param>
/// <param name="DetectableFromShape">
/// False when the problem is invisible in a <see cref="SchemaShape"/> (e.g. a vector of the wrong size: shapes have no
/// sizes), so only Fit, the transformer's GetOutputSchema and Transform must refuse it.
/// </param>
public sealed record BadInput(IDataView Data, string ColumnName, string ExpectedType, string? ActualType, bool DetectableFromShape = true);
