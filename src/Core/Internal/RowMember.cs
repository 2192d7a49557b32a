using System.Linq.Expressions;
using System.Reflection;
using MLNetFlows.Data;

namespace MLNetFlows;

/// <summary>
/// A public field or property of a row class mapped to a column, with the attributes ML.NET uses
/// (<see cref="ColumnNameAttribute"/>, <see cref="VectorTypeAttribute"/>, <see cref="KeyTypeAttribute"/>,
/// <see cref="ImageTypeAttribute"/>, <see cref="NoColumnAttribute"/>). Values are read and written boxed.
/// </summary>
internal sealed class RowMember
{
    private RowMember(MemberInfo member, Type memberType, string name, DataViewType type, LoadColumnAttribute? load)
    {
        Member = member;
        MemberType = memberType;
        Name = name;
        Type = type;
        LoadColumn = load;
    }

    public MemberInfo Member { get; }

    public Type MemberType { get; }

    public string Name { get; }

    public DataViewType Type { get; }

    public LoadColumnAttribute? LoadColumn { get; }

    public bool CanWrite => Member is FieldInfo { IsInitOnly: false } || (Member is PropertyInfo p && p.SetMethod?.IsPublic == true);

    public bool CanRead => Member is FieldInfo || (Member is PropertyInfo p && p.GetMethod?.IsPublic == true);

    public static RowMember[] For(Type rowType)
    {
        var members = new List<RowMember>();
        foreach (MemberInfo member in rowType.GetMembers(BindingFlags.Public | BindingFlags.Instance))
        {
            Type? memberType = member switch
            {
                FieldInfo f => f.FieldType,
                PropertyInfo p when p.GetIndexParameters().Length == 0 => p.PropertyType,
                _ => null,
            };
            if (memberType is null || member.GetCustomAttribute<NoColumnAttribute>() is not null)
            {
                continue;
            }

            string name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
            members.Add(new RowMember(member, memberType, name, TypeOf(rowType, member, memberType), member.GetCustomAttribute<LoadColumnAttribute>()));
        }

        return [.. members];
    }

    public Func<TRow, object?> MakeReader<TRow>()
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        Expression body = Expression.Convert(Expression.MakeMemberAccess(row, Member), typeof(object));
        return Expression.Lambda<Func<TRow, object?>>(body, row).Compile();
    }

    public Action<TRow, object?> MakeWriter<TRow>()
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        var value = Expression.Parameter(typeof(object), "value");
        Expression assign = Expression.Assign(Expression.MakeMemberAccess(row, Member), Expression.Convert(value, MemberType));
        return Expression.Lambda<Action<TRow, object?>>(assign, row, value).Compile();
    }

    private static DataViewType TypeOf(Type rowType, MemberInfo member, Type memberType)
    {
        string where = $"{rowType.Name}.{member.Name}";
        if (memberType == typeof(string) || memberType == typeof(ReadOnlyMemory<char>))
        {
            return TextDataViewType.Instance;
        }

        if (memberType == typeof(bool))
        {
            return BooleanDataViewType.Instance;
        }

        if (memberType == typeof(MLImage))
        {
            var image = member.GetCustomAttribute<ImageTypeAttribute>();
            return image is null ? new ImageDataViewType() : new ImageDataViewType(image.Height, image.Width);
        }

        if (member.GetCustomAttribute<KeyTypeAttribute>() is KeyTypeAttribute key)
        {
            Guard.IsTrue(memberType == typeof(uint), $"a UInt32 member for [KeyType] on {where}", memberType.Name, nameof(rowType));
            return new KeyDataViewType(typeof(uint), key.Count);
        }

        if (NumberDataViewType.FromRawType(memberType) is NumberDataViewType number)
        {
            return number;
        }

        Type? item = memberType.IsArray ? memberType.GetElementType()
            : memberType.IsGenericType && memberType.GetGenericTypeDefinition() == typeof(VBuffer<>) ? memberType.GetGenericArguments()[0]
            : null;
        PrimitiveDataViewType? itemType = item is null ? null
            : (PrimitiveDataViewType?)NumberDataViewType.FromRawType(item) ?? (item == typeof(bool) ? BooleanDataViewType.Instance : null);
        if (itemType is not null)
        {
            int[] dims = [.. member.GetCustomAttribute<VectorTypeAttribute>()?.Dimensions ?? []];
            return new VectorDataViewType(itemType, dims);
        }

        throw new ArgumentOutOfRangeException(
            nameof(rowType),
            $"{where} has type {TypeNames.Of(memberType)}: expected a number, bool, string, ReadOnlyMemory<char>, MLImage, or an array / VBuffer of numbers (or mark it [NoColumn]).");
    }
}
