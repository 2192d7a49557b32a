using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Testing;

/// <summary>Schema comparisons for contract checks, on ML.NET's own types.</summary>
public static class SchemaComparer
{
    private static readonly MethodInfo CreateShape = typeof(SchemaShape).GetMethod("Create", BindingFlags.NonPublic | BindingFlags.Static, [typeof(DataViewSchema)])
        ?? throw new MissingMethodException("SchemaShape.Create(DataViewSchema) (internal to ML.NET) is gone: update SchemaComparer.ShapeOf");

    /// <summary>
    /// The shape ML.NET itself derives from a schema (its internal <c>SchemaShape.Create</c>, which
    /// <c>EstimatorChain</c> uses before it calls GetOutputSchema on the estimators).
    /// </summary>
    /// <param name="schema">A schema.</param>
    public static SchemaShape ShapeOf(DataViewSchema schema) => (SchemaShape)CreateShape.Invoke(null, [schema])!;

    /// <summary>Throws unless both schemas have the same visible columns (names, types and annotation names, in order).</summary>
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

    /// <summary>
    /// Throws unless <paramref name="shape"/> is exactly the shape of <paramref name="schema"/>: the same columns in the
    /// same order, each with the same kind, item type, key-ness and annotation shapes.
    /// </summary>
    /// <param name="shape">The shape propagated by GetOutputSchema(SchemaShape).</param>
    /// <param name="schema">The schema of the transformed data.</param>
    public static void AssertShapeMatches(SchemaShape shape, DataViewSchema schema)
    {
        SchemaShape actual = ShapeOf(schema);
        string promised = Describe(shape);
        string produced = Describe(actual);
        if (promised != produced)
        {
            throw new ContractViolationException($"GetOutputSchema(SchemaShape) promised [{promised}], Transform's schema is [{produced}].");
        }
    }

    /// <summary>A column shape's type as ML.NET prints it, e.g. Vector&lt;Single&gt;.</summary>
    /// <param name="column">A column shape.</param>
    public static string TypeString(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item,
        };
    }

    private static string Describe(SchemaShape shape) =>
        string.Join(", ", shape.Select(c => $"{c.Name}: {TypeString(c)}{(c.Annotations is { Count: > 0 } a ? $" {{{Describe(a)}}}" : string.Empty)}"));

    private static string Describe(DataViewSchema schema) =>
        string.Join(", ", schema.Where(c => !c.IsHidden).Select(c =>
            $"{c.Name}: {c.Type}{(c.Annotations.Schema.Count > 0 ? $" {{{string.Join(", ", c.Annotations.Schema.Select(a => $"{a.Name}: {a.Type}"))}}}" : string.Empty)}"));
}
