using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// Checks of estimator and transformer input columns, against a schema or a schema shape, that throw
/// <see cref="SchemaMismatchException"/> naming the column, the expected type and the actual type.
/// </summary>
internal static class InputColumns
{
    /// <summary>Requires the visible column <paramref name="name"/> to satisfy <paramref name="isValid"/>.</summary>
    /// <param name="schema">The input schema.</param>
    /// <param name="name">The column name.</param>
    /// <param name="isValid">The accepted types.</param>
    /// <param name="expected">A description of the accepted types, used in the message.</param>
    /// <returns>The column.</returns>
    public static DataViewSchema.Column Require(DataViewSchema schema, string name, Func<DataViewType, bool> isValid, string expected)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(isValid);
        // ML.NET's schema throws an ArgumentNullException for an empty name (e.g. one read from a damaged model file).
        var column = (string.IsNullOrEmpty(name) ? null : schema.GetColumnOrNull(name)) ?? throw new SchemaMismatchException(name ?? string.Empty, expected, null);
        return isValid(column.Type) ? column : throw new SchemaMismatchException(name, expected, column.Type.ToString());
    }

    /// <summary>Requires the column <paramref name="name"/> of a shape to satisfy <paramref name="isValid"/>.</summary>
    /// <param name="shape">The input shape.</param>
    /// <param name="name">The column name.</param>
    /// <param name="isValid">The accepted shapes.</param>
    /// <param name="expected">A description of the accepted types, used in the message.</param>
    /// <returns>The column shape.</returns>
    public static SchemaShape.Column Require(SchemaShape shape, string name, Func<SchemaShape.Column, bool> isValid, string expected)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(isValid);
        if (!SchemaShapes.TryFind(shape, name, out var column))
        {
            throw new SchemaMismatchException(name, expected, null);
        }

        return isValid(column) ? column : throw new SchemaMismatchException(name, expected, SchemaShapes.TypeString(column));
    }
}
