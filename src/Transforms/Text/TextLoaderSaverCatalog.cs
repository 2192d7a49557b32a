using System.Reflection;
using MLNetFlows.Data;
using MLNetFlows.Transforms.Text;

namespace MLNetFlows;

/// <summary>Text file loading of <c>mlContext.Data</c>, as ML.NET's <c>TextLoaderSaverCatalog</c>.</summary>
public static class TextLoaderSaverCatalog
{
    /// <summary>Creates a loader for delimited text files.</summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="columns">The columns to read.</param>
    /// <param name="separatorChar">The field separator (tab by default, ',' for CSV).</param>
    /// <param name="hasHeader">True when the first line names the columns (it is skipped).</param>
    /// <param name="allowQuoting">True when fields may be quoted with <c>"</c> (then separators inside quotes are text and <c>""</c> is a quote).</param>
    /// <param name="trimWhitespace">True to remove whitespace around fields.</param>
    /// <returns>The loader.</returns>
    public static TextLoader CreateTextLoader(this DataOperationsCatalog catalog, TextLoader.Column[] columns, char separatorChar = '\t', bool hasHeader = false, bool allowQuoting = false, bool trimWhitespace = false)
    {
        Guard.NotNull(catalog);
        return new TextLoader(columns, separatorChar, hasHeader, allowQuoting, trimWhitespace);
    }

    /// <summary>Creates a loader whose columns are the members of <typeparamref name="TInput"/> marked with <see cref="LoadColumnAttribute"/>.</summary>
    /// <typeparam name="TInput">The row class.</typeparam>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="separatorChar">The field separator.</param>
    /// <param name="hasHeader">True when the first line is a header.</param>
    /// <param name="allowQuoting">True when fields may be quoted.</param>
    /// <param name="trimWhitespace">True to remove whitespace around fields.</param>
    /// <returns>The loader.</returns>
    public static TextLoader CreateTextLoader<TInput>(this DataOperationsCatalog catalog, char separatorChar = '\t', bool hasHeader = false, bool allowQuoting = false, bool trimWhitespace = false) =>
        CreateTextLoader(catalog, ColumnsOf(typeof(TInput)), separatorChar, hasHeader, allowQuoting, trimWhitespace);

    /// <summary>Loads a delimited text file lazily.</summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="path">The file.</param>
    /// <param name="columns">The columns to read.</param>
    /// <param name="separatorChar">The field separator (tab by default, ',' for CSV).</param>
    /// <param name="hasHeader">True when the first line is a header (it is skipped).</param>
    /// <param name="allowQuoting">True when fields may be quoted with <c>"</c>.</param>
    /// <param name="trimWhitespace">True to remove whitespace around fields.</param>
    /// <returns>The view.</returns>
    public static IDataView LoadFromTextFile(this DataOperationsCatalog catalog, string path, TextLoader.Column[] columns, char separatorChar = '\t', bool hasHeader = false, bool allowQuoting = false, bool trimWhitespace = false) =>
        CreateTextLoader(catalog, columns, separatorChar, hasHeader, allowQuoting, trimWhitespace).Load(path);

    /// <summary>Loads a delimited text file lazily, with the columns of <typeparamref name="TInput"/>'s <see cref="LoadColumnAttribute"/> members.</summary>
    /// <typeparam name="TInput">The row class: members with <c>[LoadColumn(index)]</c> (scalars) or <c>[LoadColumn(start, end)]</c> (arrays).</typeparam>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="path">The file.</param>
    /// <param name="separatorChar">The field separator (tab by default, ',' for CSV).</param>
    /// <param name="hasHeader">True when the first line is a header (it is skipped).</param>
    /// <param name="allowQuoting">True when fields may be quoted with <c>"</c>.</param>
    /// <param name="trimWhitespace">True to remove whitespace around fields.</param>
    /// <returns>The view.</returns>
    public static IDataView LoadFromTextFile<TInput>(this DataOperationsCatalog catalog, string path, char separatorChar = '\t', bool hasHeader = false, bool allowQuoting = false, bool trimWhitespace = false) =>
        CreateTextLoader<TInput>(catalog, separatorChar, hasHeader, allowQuoting, trimWhitespace).Load(path);

    private static TextLoader.Column[] ColumnsOf(Type type)
    {
        var columns = new List<TextLoader.Column>();
        foreach (MemberInfo member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance).Where(m => m is FieldInfo or PropertyInfo))
        {
            if (member.GetCustomAttribute<LoadColumnAttribute>() is not LoadColumnAttribute load || member.GetCustomAttribute<NoColumnAttribute>() is not null)
            {
                continue;
            }

            Type memberType = member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;
            bool isArray = memberType.IsArray;
            Type item = isArray ? memberType.GetElementType()! : memberType;
            DataKind kind = KindOf(item) ?? throw new ArgumentException(
                $"{type.Name}.{member.Name} has type {memberType.Name}: expected bool, byte, int, uint, long, float, double or string (or an array of them for [LoadColumn(start, end)]).", nameof(type));
            string name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
            columns.Add(isArray ? new TextLoader.Column(name, kind, load.Start, load.End) : load.Start == load.End
                ? new TextLoader.Column(name, kind, load.Start)
                : throw new ArgumentException($"{type.Name}.{member.Name} reads fields {load.Start}–{load.End}: expected an array member for a field range.", nameof(type)));
        }

        return columns.Count > 0 ? [.. columns] : throw new ArgumentException($"{type.Name} has no public field or property with [LoadColumn].", nameof(type));
    }

    private static DataKind? KindOf(Type type) =>
        type == typeof(float) ? DataKind.Single
        : type == typeof(double) ? DataKind.Double
        : type == typeof(int) ? DataKind.Int32
        : type == typeof(uint) ? DataKind.UInt32
        : type == typeof(long) ? DataKind.Int64
        : type == typeof(byte) ? DataKind.Byte
        : type == typeof(bool) ? DataKind.Boolean
        : type == typeof(string) || type == typeof(ReadOnlyMemory<char>) ? DataKind.String
        : null;
}
