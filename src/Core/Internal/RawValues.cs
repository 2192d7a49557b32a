using MLNetFlows.Data;

namespace MLNetFlows;

/// <summary>Conversions between row-class member values (boxed) and column raw values.</summary>
internal static class RawValues
{
    /// <summary>Returns a getter that converts the member value of the current row object to the column's raw type.</summary>
    public static Delegate MakeGetter(DataViewType type, string columnName, Func<object?> current) =>
        (Delegate)typeof(RawValues).GetMethod(nameof(MakeTypedGetter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type.RawType).Invoke(null, [type, columnName, current])!;

    /// <summary>Converts a raw column value to a member value of <paramref name="memberType"/> (boxed).</summary>
    public static object? ToMember<TRaw>(in TRaw raw, Type memberType, object? previous)
    {
        switch (raw)
        {
            case ReadOnlyMemory<char> text:
                return memberType == typeof(string) ? text.ToString() : text;
            default:
                if (memberType.IsArray && raw is not null && typeof(TRaw).IsGenericType)
                {
                    return typeof(RawValues).GetMethod(nameof(ToArray), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                        .MakeGenericMethod(memberType.GetElementType()!).Invoke(null, [raw, previous]);
                }

                return ValueCopier<TRaw>.Clone(raw);
        }
    }

    private static TItem[] ToArray<TItem>(VBuffer<TItem> value, TItem[]? previous)
    {
        TItem[] array = previous is not null && previous.Length == value.Length ? previous : new TItem[value.Length];
        value.CopyTo(array);
        return array;
    }

    private static ValueGetter<TRaw> MakeTypedGetter<TRaw>(DataViewType type, string columnName, Func<object?> current)
    {
        int expectedSize = type is VectorDataViewType { IsKnownSize: true } v ? v.Size : -1;
        Func<Array, TRaw, TRaw>? fromArray = null;
        Func<TRaw, int>? length = null;
        if (type is VectorDataViewType vector)
        {
            Type item = vector.ItemType.RawType;
            fromArray = Method(nameof(ArrayToVBuffer), item).CreateDelegate<Func<Array, TRaw, TRaw>>();
            length = Method(nameof(Length), item).CreateDelegate<Func<TRaw, int>>();
        }

        return (ref TRaw value) =>
        {
            object? member = current();
            switch (member)
            {
                case string s when typeof(TRaw) == typeof(ReadOnlyMemory<char>):
                    value = (TRaw)(object)s.AsMemory();
                    return;
                case null when typeof(TRaw) == typeof(ReadOnlyMemory<char>):
                    value = (TRaw)(object)ReadOnlyMemory<char>.Empty;
                    return;
                case null when typeof(TRaw) == typeof(MLImage):
                    value = default!; // A null image member is a missing image, as in ML.NET.
                    return;
                case Array array when typeof(TRaw).IsGenericType:
                    CheckSize(array.Length, expectedSize, columnName);
                    value = fromArray!(array, value);
                    return;
                case TRaw raw:
                    if (length is not null)
                    {
                        CheckSize(length(raw), expectedSize, columnName);
                    }

                    ValueCopier<TRaw>.Copy(in raw, ref value);
                    return;
                default:
                    throw new InvalidOperationException($"Column '{columnName}' expected a value of {TypeNames.Of(typeof(TRaw))}, got {(member is null ? "null" : TypeNames.Of(member.GetType()))}.");
            }
        };
    }

    private static System.Reflection.MethodInfo Method(string name, Type item) =>
        typeof(RawValues).GetMethod(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(item);

    private static int Length<TItem>(VBuffer<TItem> value) => value.Length;

    private static VBuffer<TItem> ArrayToVBuffer<TItem>(Array array, VBuffer<TItem> destination)
    {
        var items = (TItem[])array;
        var editor = VBufferEditor.Create(ref destination, items.Length);
        items.CopyTo(editor.Values);
        return editor.Commit();
    }

    private static void CheckSize(int actual, int expected, string columnName)
    {
        if (expected >= 0 && actual != expected)
        {
            throw new InvalidOperationException($"Column '{columnName}' expected a vector of {expected} items (its [VectorType]), got {actual}.");
        }
    }
}
