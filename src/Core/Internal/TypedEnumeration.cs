using System.Reflection;

namespace MLNetFlows;

/// <summary>Enumerates a view as row objects (<c>CreateEnumerable</c>): one cursor per enumeration.</summary>
internal static class TypedEnumeration
{
    public static IEnumerable<TRow> Create<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns)
        where TRow : class, new()
    {
        RowMember[] members = [.. RowMember.For(typeof(TRow)).Where(m => m.CanWrite)];
        var bound = new List<(RowMember Member, DataViewSchema.Column Column)>();
        foreach (RowMember member in members)
        {
            if (data.Schema.GetColumnOrNull(member.Name) is not DataViewSchema.Column column)
            {
                if (ignoreMissingColumns)
                {
                    continue;
                }

                throw new SchemaMismatchException(member.Name, $"{member.Type}", null);
            }

            bool compatible = column.Type.Equals(member.Type)
                || (column.Type.RawType == member.Type.RawType && (column.Type is Data.VectorDataViewType || column.Type is Data.ImageDataViewType || column.Type is Data.KeyDataViewType));
            if (!compatible)
            {
                throw new SchemaMismatchException(member.Name, $"{member.Type} (member {typeof(TRow).Name}.{member.Member.Name})", $"{column.Type}");
            }

            bound.Add((member, column));
        }

        return Enumerate<TRow>(data, bound, reuseRowObject);
    }

    private static IEnumerable<TRow> Enumerate<TRow>(IDataView data, List<(RowMember Member, DataViewSchema.Column Column)> bound, bool reuseRowObject)
        where TRow : class, new()
    {
        using DataViewRowCursor cursor = data.GetRowCursor(bound.Select(b => b.Column));
        Action<TRow>[] setters = [.. bound.Select(b => MakeSetter<TRow>(cursor, b.Member, b.Column))];
        TRow? row = null;
        while (cursor.MoveNext())
        {
            row = reuseRowObject && row is not null ? row : new TRow();
            foreach (Action<TRow> set in setters)
            {
                set(row);
            }

            yield return row;
        }
    }

    private static Action<TRow> MakeSetter<TRow>(DataViewRow cursor, RowMember member, DataViewSchema.Column column) =>
        (Action<TRow>)typeof(TypedEnumeration).GetMethod(nameof(MakeTypedSetter), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(typeof(TRow), column.Type.RawType).Invoke(null, [cursor, member, column])!;

    private static Action<TRow> MakeTypedSetter<TRow, TRaw>(DataViewRow cursor, RowMember member, DataViewSchema.Column column)
    {
        ValueGetter<TRaw> getter = cursor.GetGetter<TRaw>(column);
        Action<TRow, object?> write = member.MakeWriter<TRow>();
        Func<TRow, object?>? read = member.CanRead ? member.MakeReader<TRow>() : null;
        TRaw scratch = default!;
        return row =>
        {
            getter(ref scratch);
            write(row, RawValues.ToMember(in scratch, member.MemberType, read?.Invoke(row)));
        };
    }
}
