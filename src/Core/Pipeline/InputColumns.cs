using MLNetFlows.Data;

namespace MLNetFlows;

/// <summary>
/// Checks of estimator and transformer input columns, against a schema or a schema shape, that throw
/// <see cref="SchemaMismatchException"/> naming the column, the expected type and the actual type.
/// </summary>
public static class InputColumns
{
    /// <summary>Requires the visible column <paramref name="name"/> to satisfy <paramref name="isValid"/>.</summary>
    /// <param name="schema">The input schema.</param>
    /// <param name="name">The column name.</param>
    /// <param name="isValid">The accepted types.</param>
    /// <param name="expected">A description of the accepted types, used in the message.</param>
    /// <returns>The column.</returns>
    public static DataViewSchema.Column Require(DataViewSchema schema, string name, Func<DataViewType, bool> isValid, string expected)
    {
        Guard.NotNull(schema);
        Guard.NotNull(isValid);
        DataViewSchema.Column column = schema.GetColumnOrNull(name) ?? throw new SchemaMismatchException(name, expected, null);
        if (!isValid(column.Type))
        {
            throw new SchemaMismatchException(name, expected, column.Type.ToString());
        }

        return column;
    }

    /// <summary>Requires the column <paramref name="name"/> of a shape to satisfy <paramref name="isValid"/>.</summary>
    /// <param name="shape">The input shape.</param>
    /// <param name="name">The column name.</param>
    /// <param name="isValid">The accepted shapes.</param>
    /// <param name="expected">A description of the accepted types, used in the message.</param>
    /// <returns>The column shape.</returns>
    public static SchemaShape.Column Require(SchemaShape shape, string name, Func<SchemaShape.Column, bool> isValid, string expected)
    {
        Guard.NotNull(shape);
        Guard.NotNull(isValid);
        if (!shape.TryFindColumn(name, out SchemaShape.Column column))
        {
            throw new SchemaMismatchException(name, expected, null);
        }

        if (!isValid(column))
        {
            throw new SchemaMismatchException(name, expected, column.GetTypeString());
        }

        return column;
    }

    /// <summary>Gets the item type of a vector type, or the type itself.</summary>
    /// <param name="type">A column type.</param>
    /// <returns>The item type.</returns>
    public static DataViewType ItemTypeOf(DataViewType type) => type is VectorDataViewType v ? v.ItemType : type;
}
