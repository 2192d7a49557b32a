using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// Shapes of the columns our ONNX Runtime scorers add, for their estimators' <c>GetOutputSchema</c>.
/// <see cref="SchemaShape.Column"/> has no public constructor; its fields are public read-only, so a default value is
/// filled in place with what ML.NET's internal constructor stores (for keys, the key's raw type as the item type).
/// </summary>
internal static class ShapeColumns
{
    /// <summary>The shape of a column of <paramref name="type"/> (Single, Boolean, a UInt32 key or a Single vector) with its annotations.</summary>
    public static SchemaShape.Column Of(string name, DataViewType type, DataViewSchema.Annotations? annotations = null)
    {
        var column = default(SchemaShape.Column);
        var item = type is VectorDataViewType vector ? vector.ItemType : type;
        Unsafe.AsRef(in column.Name) = name;
        Unsafe.AsRef(in column.Kind) = type is VectorDataViewType ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.Scalar;
        Unsafe.AsRef(in column.ItemType) = item is KeyDataViewType ? NumberDataViewType.UInt32 : item;
        Unsafe.AsRef(in column.IsKey) = item is KeyDataViewType;
        Unsafe.AsRef(in column.Annotations) = new SchemaShape(annotations?.Schema.Select(a => Of(a.Name, a.Type)) ?? []);
        return column;
    }

    /// <summary><paramref name="input"/> with <paramref name="added"/> appended; an added column replaces an input column of the same name.</summary>
    public static SchemaShape Append(SchemaShape input, IEnumerable<SchemaShape.Column> added)
    {
        SchemaShape.Column[] extra = [.. added];
        var replaced = extra.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return new SchemaShape(input.Where(c => !replaced.Contains(c.Name)).Concat(extra));
    }
}
