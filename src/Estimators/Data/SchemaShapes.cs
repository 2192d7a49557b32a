using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// Builds <see cref="SchemaShape"/>s from outside ML.NET. <see cref="SchemaShape.Column"/>'s constructor and
/// <c>SchemaShape.Create(DataViewSchema)</c> are internal to ML.NET (dotnet/machinelearning#3243), but the column's
/// fields are <c>public readonly</c>: this adapter fills a default column through
/// <see cref="Unsafe.AsRef{T}(ref readonly T)"/> with exactly what the internal constructor stores (a null annotation
/// shape becomes an empty one), so ML.NET's own estimators downstream of ours (<c>EstimatorChain.GetOutputSchema</c>)
/// read the columns as if ML.NET had made them. This is the only file that writes a <see cref="SchemaShape.Column"/>.
/// </summary>
internal static class SchemaShapes
{
    private static readonly SchemaShape Empty = new([]);

    /// <summary>A column shape, as ML.NET's internal constructor would make it.</summary>
    /// <param name="name">Column name (not empty).</param>
    /// <param name="kind">Scalar, fixed-size vector or variable-size vector.</param>
    /// <param name="itemType">The item type (a primitive type; for keys, the key's raw type).</param>
    /// <param name="isKey">Whether the items are keys.</param>
    /// <param name="annotations">The annotation shapes, or null for none.</param>
    public static SchemaShape.Column Column(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey, SchemaShape? annotations = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(itemType);
        if (itemType is KeyDataViewType or VectorDataViewType)
        {
            throw new ArgumentException($"the item type of column '{name}' must be primitive, got {itemType}", nameof(itemType));
        }

        var column = default(SchemaShape.Column);
        Unsafe.AsRef(in column.Name) = name;
        Unsafe.AsRef(in column.Kind) = kind;
        Unsafe.AsRef(in column.ItemType) = itemType;
        Unsafe.AsRef(in column.IsKey) = isKey;
        Unsafe.AsRef(in column.Annotations) = annotations ?? Empty;
        return column;
    }

    /// <summary>The shape of a column of <paramref name="type"/> with the given annotations (what ML.NET's SchemaShape.Create does per column).</summary>
    /// <param name="name">Column name.</param>
    /// <param name="type">The column type.</param>
    /// <param name="annotations">The column's annotations, or null for none.</param>
    public static SchemaShape.Column Column(string name, DataViewType type, DataViewSchema.Annotations? annotations = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        var annotationShapes = annotations is null || annotations.Schema.Count == 0
            ? null
            : new SchemaShape(annotations.Schema.Select(a => Column(a.Name, a.Type)));
        var (kind, itemType, isKey) = Describe(type);
        return Column(name, kind, itemType, isKey, annotationShapes);
    }

    /// <summary>The shape of every visible column of <paramref name="schema"/>, in order (ML.NET's internal SchemaShape.Create).</summary>
    /// <param name="schema">A schema.</param>
    public static SchemaShape FromSchema(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new SchemaShape(schema.Where(c => !c.IsHidden).Select(c => Column(c.Name, c.Type, c.Annotations)));
    }

    /// <summary>
    /// <paramref name="input"/> with <paramref name="added"/> appended; an added column replaces an input column of the
    /// same name, as in the schema a transformer produces (the input column becomes hidden).
    /// </summary>
    /// <param name="input">The input shape.</param>
    /// <param name="added">The columns a transformer adds.</param>
    public static SchemaShape Append(SchemaShape input, IEnumerable<SchemaShape.Column> added)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(added);
        SchemaShape.Column[] extra = [.. added];
        var replaced = extra.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return new SchemaShape(input.Where(c => !replaced.Contains(c.Name)).Concat(extra));
    }

    /// <summary>
    /// <paramref name="input"/> with the shapes of <paramref name="added"/> (with their annotations) appended, as
    /// <see cref="Append(SchemaShape, IEnumerable{SchemaShape.Column})"/>: what an estimator's GetOutputSchema returns
    /// when it knows the columns its transformer will add.
    /// </summary>
    /// <param name="input">The input shape.</param>
    /// <param name="added">The columns the transformer adds.</param>
    public static SchemaShape Append(SchemaShape input, IEnumerable<DataViewSchema.DetachedColumn> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        return Append(input, added.Select(c => Column(c.Name, c.Type, c.Annotations)));
    }

    /// <summary>Finds a column by name (ML.NET's TryFindColumn is internal).</summary>
    /// <param name="shape">The shape to search.</param>
    /// <param name="name">The column name.</param>
    /// <param name="column">The column, when found.</param>
    public static bool TryFind(SchemaShape shape, string name, out SchemaShape.Column column)
    {
        ArgumentNullException.ThrowIfNull(shape);
        column = shape.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
        return column.Name is not null;
    }

    /// <summary>The type of a column shape as ML.NET prints it, e.g. <c>Vector&lt;Single&gt;</c> or <c>Key&lt;UInt32&gt;</c>.</summary>
    /// <param name="column">A column shape.</param>
    public static string TypeString(SchemaShape.Column column)
    {
        var item = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item,
        };
    }

    private static (SchemaShape.Column.VectorKind Kind, DataViewType ItemType, bool IsKey) Describe(DataViewType type)
    {
        var kind = SchemaShape.Column.VectorKind.Scalar;
        var itemType = type;
        if (type is VectorDataViewType vector)
        {
            kind = vector.IsKnownSize ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.VariableVector;
            itemType = vector.ItemType;
        }

        return itemType is KeyDataViewType key ? (kind, PrimitiveOf(key.RawType), true) : (kind, itemType, false);
    }

    private static DataViewType PrimitiveOf(Type rawType) => rawType switch
    {
        _ when rawType == typeof(byte) => NumberDataViewType.Byte,
        _ when rawType == typeof(ushort) => NumberDataViewType.UInt16,
        _ when rawType == typeof(uint) => NumberDataViewType.UInt32,
        _ when rawType == typeof(ulong) => NumberDataViewType.UInt64,
        _ => throw new ArgumentException($"a key's raw type must be an unsigned integer, got {rawType.Name}", nameof(rawType)),
    };
}
