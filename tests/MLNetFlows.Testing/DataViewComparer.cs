using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Testing;

/// <summary>Reads whole views and compares them value by value (floats bitwise, NaN equal to NaN).</summary>
public static class DataViewComparer
{
    /// <summary>
    /// Reads every visible column of every row as comparable values: vectors become dense arrays, text becomes strings,
    /// and objects such as images become a description of their public Width, Height and PixelFormat.
    /// </summary>
    /// <param name="data">The view.</param>
    /// <returns>One array of values per row.</returns>
    public static List<object?[]> ReadAll(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        DataViewSchema.Column[] columns = [.. data.Schema.Where(c => !c.IsHidden)];
        using DataViewRowCursor cursor = data.GetRowCursor(columns);
        Func<object?>[] readers = [.. columns.Select(c => Reader(cursor, c))];
        var rows = new List<object?[]>();
        while (cursor.MoveNext())
        {
            rows.Add([.. readers.Select(r => r())]);
        }

        return rows;
    }

    /// <summary>Throws <see cref="ContractViolationException"/> unless both views have the same visible columns and values.</summary>
    /// <param name="expected">The reference view.</param>
    /// <param name="actual">The view to check.</param>
    /// <param name="what">A description for the message.</param>
    public static void AssertEqual(IDataView expected, IDataView actual, string what)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        SchemaComparer.AssertSameColumns(expected.Schema, actual.Schema, what);
        List<object?[]> a = ReadAll(expected);
        List<object?[]> b = ReadAll(actual);
        if (a.Count != b.Count)
        {
            throw new ContractViolationException($"{what}: expected {a.Count} rows, got {b.Count}.");
        }

        string[] names = [.. expected.Schema.Where(c => !c.IsHidden).Select(c => c.Name)];
        for (int r = 0; r < a.Count; r++)
        {
            for (int c = 0; c < names.Length; c++)
            {
                if (!ValueEquals(a[r][c], b[r][c]))
                {
                    throw new ContractViolationException($"{what}: row {r}, column '{names[c]}': expected {Show(a[r][c])}, got {Show(b[r][c])}.");
                }
            }
        }
    }

    /// <summary>Compares two values read by <see cref="ReadAll"/>.</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>True when equal (floats bitwise).</returns>
    public static bool ValueEquals(object? x, object? y) => (x, y) switch
    {
        (float f, float g) => BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits(g),
        (double f, double g) => BitConverter.DoubleToInt64Bits(f) == BitConverter.DoubleToInt64Bits(g),
        (Array p, Array q) => p.Length == q.Length && Enumerable.Range(0, p.Length).All(i => ValueEquals(p.GetValue(i), q.GetValue(i))),
        _ => Equals(x, y),
    };

    private static string Show(object? value) => value is Array a ? $"[{string.Join(", ", a.Cast<object?>().Take(8))}{(a.Length > 8 ? ", …" : string.Empty)}]" : $"{value}";

    private static Func<object?> Reader(DataViewRow row, DataViewSchema.Column column) =>
        (Func<object?>)typeof(DataViewComparer).GetMethod(nameof(TypedReader), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(column.Type.RawType).Invoke(null, [row, column])!;

    private static Func<object?> TypedReader<T>(DataViewRow row, DataViewSchema.Column column)
    {
        ValueGetter<T> getter = row.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            return value switch
            {
                ReadOnlyMemory<char> text => text.ToString(),
                _ when typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(VBuffer<>) =>
                    typeof(T).GetMethod(nameof(VBuffer<int>.DenseValues))!.Invoke(value, null) is System.Collections.IEnumerable items
                        ? items.Cast<object?>().ToArray() : null,
                null => null,
                _ when typeof(T).IsPrimitive || typeof(T).IsValueType => value,
                _ => DescribeObject(value),
            };
        };
    }

    /// <summary>Objects (e.g. ImageAnalytics' MLImage) are compared by their public Width, Height and PixelFormat.</summary>
    private static string DescribeObject(object value)
    {
        Type type = value.GetType();
        string Property(string name) => $"{type.GetProperty(name)?.GetValue(value)}";
        return $"{type.Name}({Property("Width")}×{Property("Height")}, {Property("PixelFormat")})";
    }
}
