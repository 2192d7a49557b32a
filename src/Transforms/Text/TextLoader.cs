using System.Collections.Immutable;
using MLNetFlows.Data;

namespace MLNetFlows.Transforms.Text;

/// <summary>
/// Reads delimited text files (CSV, TSV, ...) as views, as ML.NET's <c>TextLoader</c>: each
/// <see cref="Column"/> reads one field, or a range of fields as a vector, and parses it as its <see cref="DataKind"/>
/// (numbers in the invariant culture). Views are lazy: every cursor reads the file again. A malformed line fails the
/// cursor with a <see cref="FormatException"/> naming the file, the line number, the column, the field, the value
/// and the expected type. Blank lines are skipped. Immutable.
/// </summary>
public sealed partial class TextLoader
{
    internal TextLoader(Column[] columns, char separatorChar, bool hasHeader, bool allowQuoting, bool trimWhitespace)
    {
        Guard.NotNull(columns);
        Guard.IsTrue(columns.Length > 0, "at least one column", "none", nameof(columns));
        Guard.IsTrue(separatorChar is not ('"' or '\n' or '\r'), "a separator other than a quote or a line break", $"'{separatorChar}'", nameof(separatorChar));
        Columns = [.. columns.Select(c => Guard.NotNull(c))];
        SeparatorChar = separatorChar;
        HasHeader = hasHeader;
        AllowQuoting = allowQuoting;
        TrimWhitespace = trimWhitespace;
        var builder = new DataViewSchema.Builder();
        foreach (Column column in Columns)
        {
            builder.AddColumn(column.Name, column.GetColumnType());
        }

        Schema = builder.ToSchema();
    }

    /// <summary>Gets the columns read.</summary>
    public ImmutableArray<Column> Columns { get; }

    /// <summary>Gets the field separator.</summary>
    public char SeparatorChar { get; }

    /// <summary>Gets a value indicating whether the first line is a header (skipped).</summary>
    public bool HasHeader { get; }

    /// <summary>Gets a value indicating whether fields may be quoted with <c>"</c>.</summary>
    public bool AllowQuoting { get; }

    /// <summary>Gets a value indicating whether whitespace around fields is removed.</summary>
    public bool TrimWhitespace { get; }

    /// <summary>Gets the schema of the views this loader produces.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>Creates a lazy view over a file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The view.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public IDataView Load(string path)
    {
        Guard.NotNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Text file '{path}' does not exist.", path);
        }

        return new TextDataView(this, path);
    }

    /// <summary>A column of a text file: a name, a kind, and the zero-based field (or inclusive range of fields) it reads.</summary>
    public sealed class Column
    {
        /// <summary>Initializes a scalar column reading field <paramref name="index"/>.</summary>
        /// <param name="name">The column name.</param>
        /// <param name="dataKind">The value kind.</param>
        /// <param name="index">The zero-based field index.</param>
        public Column(string name, DataKind dataKind, int index)
            : this(name, dataKind, index, index, isVector: false)
        {
        }

        /// <summary>Initializes a vector column reading fields <paramref name="minIndex"/> to <paramref name="maxIndex"/> inclusive.</summary>
        /// <param name="name">The column name.</param>
        /// <param name="dataKind">The item kind.</param>
        /// <param name="minIndex">The first field index.</param>
        /// <param name="maxIndex">The last field index.</param>
        public Column(string name, DataKind dataKind, int minIndex, int maxIndex)
            : this(name, dataKind, minIndex, maxIndex, isVector: true)
        {
        }

        private Column(string name, DataKind dataKind, int minIndex, int maxIndex, bool isVector)
        {
            Name = Guard.NotNullOrEmpty(name);
            Guard.IsTrue(Enum.IsDefined(dataKind), "a DataKind this loader reads (Byte, Int32, UInt32, Int64, Single, Double, String, Boolean)", dataKind.ToString(), nameof(dataKind));
            Guard.MustBeGreaterThanOrEqualTo(minIndex, 0);
            Guard.MustBeGreaterThanOrEqualTo(maxIndex, minIndex);
            DataKind = dataKind;
            MinIndex = minIndex;
            MaxIndex = maxIndex;
            IsVector = isVector;
        }

        /// <summary>Gets the column name.</summary>
        public string Name { get; }

        /// <summary>Gets the value kind.</summary>
        public DataKind DataKind { get; }

        /// <summary>Gets the first field index.</summary>
        public int MinIndex { get; }

        /// <summary>Gets the last field index.</summary>
        public int MaxIndex { get; }

        /// <summary>Gets a value indicating whether the column is a vector of <c>MaxIndex − MinIndex + 1</c> items.</summary>
        public bool IsVector { get; }

        internal PrimitiveDataViewType ItemType => DataKind switch
        {
            DataKind.Byte => NumberDataViewType.Byte,
            DataKind.Int32 => NumberDataViewType.Int32,
            DataKind.UInt32 => NumberDataViewType.UInt32,
            DataKind.Int64 => NumberDataViewType.Int64,
            DataKind.Single => NumberDataViewType.Single,
            DataKind.Double => NumberDataViewType.Double,
            DataKind.String => TextDataViewType.Instance,
            _ => BooleanDataViewType.Instance,
        };

        internal DataViewType GetColumnType() => IsVector ? new VectorDataViewType(ItemType, MaxIndex - MinIndex + 1) : ItemType;
    }
}
