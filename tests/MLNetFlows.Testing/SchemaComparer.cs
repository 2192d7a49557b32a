namespace MLNetFlows.Testing;

/// <summary>Schema comparisons for contract checks.</summary>
public static class SchemaComparer
{
    /// <summary>Throws unless both schemas have the same visible columns (names and types, in order).</summary>
    /// <param name="expected">The reference schema.</param>
    /// <param name="actual">The schema to check.</param>
    /// <param name="what">A description for the message.</param>
    public static void AssertSameColumns(DataViewSchema expected, DataViewSchema actual, string what)
    {
        string e = Describe(expected);
        string a = Describe(actual);
        if (e != a)
        {
            throw new ContractViolationException($"{what}: schemas differ: expected [{e}], got [{a}].");
        }
    }

    /// <summary>Throws unless every column of <paramref name="shape"/> exists in <paramref name="schema"/> with a compatible shape.</summary>
    /// <param name="shape">The shape propagated by GetOutputSchema(SchemaShape).</param>
    /// <param name="schema">The schema of the transformed data.</param>
    public static void AssertShapeMatches(SchemaShape shape, DataViewSchema schema)
    {
        SchemaShape actual = SchemaShape.Create(schema);
        foreach (SchemaShape.Column column in shape)
        {
            if (!actual.TryFindColumn(column.Name, out SchemaShape.Column found))
            {
                throw new ContractViolationException($"GetOutputSchema(SchemaShape) promised column '{column.Name}' ({column.GetTypeString()}), but Transform's schema has no such column.");
            }

            if (found.Kind != column.Kind || found.IsKey != column.IsKey || !found.ItemType.Equals(column.ItemType))
            {
                throw new ContractViolationException($"Column '{column.Name}': GetOutputSchema(SchemaShape) promised {column.GetTypeString()}{(column.IsKey ? " (key)" : string.Empty)}, Transform produced {found.GetTypeString()}{(found.IsKey ? " (key)" : string.Empty)}.");
            }
        }

        if (actual.Count != shape.Count)
        {
            throw new ContractViolationException($"GetOutputSchema(SchemaShape) has {shape.Count} columns [{shape}], Transform's schema has {actual.Count} [{actual}].");
        }
    }

    private static string Describe(DataViewSchema schema) => string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {c.Type}"));
}
