using MLNetFlows.Data;

namespace MLNetFlows.Transforms.Text;

public sealed partial class TextLoader
{
    /// <summary>The lazy view over one file: each cursor opens the file and parses the active columns line by line.</summary>
    private sealed class TextDataView(TextLoader loader, string path) : IDataView
    {
        public bool CanShuffle => false;

        public DataViewSchema Schema => loader.Schema;

        public long? GetRowCount() => null;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            bool[] active = ActiveColumns.From(Schema, columnsNeeded);
            return new Cursor(loader, path, active);
        }
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly TextLoader _loader;
        private readonly string _path;
        private readonly bool[] _active;
        private readonly StreamReader _reader;
        private readonly TextFieldSplitter _splitter;
        private readonly List<ReadOnlyMemory<char>> _fields = [];
        private readonly FieldReader?[] _readers;
        private long _lineNumber;

        public Cursor(TextLoader loader, string path, bool[] active)
        {
            _loader = loader;
            _path = path;
            _active = active;
            _splitter = new TextFieldSplitter(loader.SeparatorChar, loader.AllowQuoting, loader.TrimWhitespace);
            _readers = [.. loader.Columns.Select((c, i) => active[i] ? FieldReader.Create(c) : null)];
            _reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        }

        public override DataViewSchema Schema => _loader.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        protected override bool MoveNextCore()
        {
            while (_reader.ReadLine() is string line)
            {
                _lineNumber++;
                if ((_lineNumber == 1 && _loader.HasHeader) || string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (_splitter.Split(line, _fields) is string malformed)
                {
                    throw new FormatException($"'{_path}' line {_lineNumber}: {malformed}.");
                }

                for (int i = 0; i < _readers.Length; i++)
                {
                    if (_readers[i] is FieldReader reader)
                    {
                        Column column = _loader.Columns[i];
                        if (column.MaxIndex >= _fields.Count)
                        {
                            throw new FormatException($"'{_path}' line {_lineNumber}: column '{column.Name}' reads field {column.MaxIndex}, but the line has {_fields.Count} field(s) (separator '{_loader.SeparatorChar}').");
                        }

                        if (reader.Read(_fields) is int bad)
                        {
                            throw new FormatException($"'{_path}' line {_lineNumber}, column '{column.Name}' (field {bad}): cannot parse '{_fields[bad]}' as {column.DataKind}.");
                        }
                    }
                }

                return true;
            }

            return false;
        }

        protected override ValueGetter<TValue> GetGetterCore<TValue>(DataViewSchema.Column column) => (ValueGetter<TValue>)_readers[column.Index]!.Getter;

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _reader.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Parses the fields of one column into its current value.</summary>
    private abstract class FieldReader
    {
        public abstract Delegate Getter { get; }

        public static FieldReader Create(Column column)
        {
            if (column.DataKind == DataKind.String)
            {
                return column.IsVector ? new VectorReader<ReadOnlyMemory<char>>(column, null) : new ScalarReader<ReadOnlyMemory<char>>(column, null);
            }

            Delegate parse = TextFieldParser.For(column.DataKind);
            Type item = column.ItemType.RawType;
            Type reader = (column.IsVector ? typeof(VectorReader<>) : typeof(ScalarReader<>)).MakeGenericType(item);
            return (FieldReader)Activator.CreateInstance(reader, column, parse)!;
        }

        /// <summary>Reads the current line's fields.</summary>
        /// <returns>Null on success, otherwise the index of the field that does not parse.</returns>
        public abstract int? Read(List<ReadOnlyMemory<char>> fields);

        protected static bool TryGet<T>(TextFieldParser.TryParse<T>? parse, ReadOnlyMemory<char> field, out T value)
        {
            if (parse is null)
            {
                value = (T)(object)field;
                return true;
            }

            return parse(field.Span, out value);
        }
    }

    private sealed class ScalarReader<T>(Column column, Delegate? parse) : FieldReader
    {
        private readonly TextFieldParser.TryParse<T>? _parse = (TextFieldParser.TryParse<T>?)parse;
        private T _value = default!;

        public override Delegate Getter => (ValueGetter<T>)((ref T value) => value = _value);

        public override int? Read(List<ReadOnlyMemory<char>> fields) => TryGet(_parse, fields[column.MinIndex], out _value) ? null : column.MinIndex;
    }

    private sealed class VectorReader<T>(Column column, Delegate? parse) : FieldReader
    {
        private readonly TextFieldParser.TryParse<T>? _parse = (TextFieldParser.TryParse<T>?)parse;
        private readonly T[] _values = new T[column.MaxIndex - column.MinIndex + 1];

        public override Delegate Getter => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) =>
        {
            var editor = VBufferEditor.Create(ref value, _values.Length);
            _values.CopyTo(editor.Values);
            value = editor.Commit();
        });

        public override int? Read(List<ReadOnlyMemory<char>> fields)
        {
            for (int i = 0; i < _values.Length; i++)
            {
                if (!TryGet(_parse, fields[column.MinIndex + i], out _values[i]))
                {
                    return column.MinIndex + i;
                }
            }

            return null;
        }
    }
}
