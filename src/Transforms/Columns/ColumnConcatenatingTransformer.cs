using System.Collections.Immutable;
using System.Text.Json.Nodes;
using MLNetFlows.Data;
using MLNetFlows.Persistence;

namespace MLNetFlows.Transforms;

/// <summary>
/// Concatenates scalar and vector columns of one item type into a vector column (of known size when every input
/// has one). Immutable.
/// </summary>
public sealed class ColumnConcatenatingTransformer : RowToRowTransformerBase
{
    internal const string LoaderKind = "ColumnConcatenatingTransformer";

    internal ColumnConcatenatingTransformer(string outputColumnName, string[] inputColumnNames)
    {
        OutputColumnName = Guard.NotNullOrEmpty(outputColumnName);
        Guard.NotNull(inputColumnNames);
        Guard.IsTrue(inputColumnNames.Length > 0, "at least one input column", "none", nameof(inputColumnNames));
        InputColumnNames = [.. inputColumnNames];
    }

    /// <summary>Gets the output column name.</summary>
    public string OutputColumnName { get; }

    /// <summary>Gets the input column names, in concatenation order.</summary>
    public ImmutableArray<string> InputColumnNames { get; }

    internal static string Expected => "a numeric or boolean scalar or vector";

    internal static bool IsValid(DataViewType type) =>
        InputColumns.ItemTypeOf(type) is NumberDataViewType or BooleanDataViewType;

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        Guard.NotNull(ctx);
        ctx.SetVersionInfo(LoaderKind, 1);
        ctx.Parameters["outputColumnName"] = OutputColumnName;
        ctx.Parameters["inputColumnNames"] = new JsonArray([.. InputColumnNames.Select(c => (JsonNode)c)]);
    }

    internal static ColumnConcatenatingTransformer Load(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, 1);
        return new ColumnConcatenatingTransformer(ctx.GetString("outputColumnName"), ctx.GetStrings("inputColumnNames"));
    }

    /// <inheritdoc/>
    protected override ColumnMapperBase MakeMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed class Mapper : RowColumnMapper
    {
        private readonly ColumnConcatenatingTransformer _parent;
        private readonly DataViewSchema.Column[] _sources;
        private readonly VectorDataViewType _outputType;

        public Mapper(ColumnConcatenatingTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema)
        {
            _parent = parent;
            _sources = [.. parent.InputColumnNames.Select(n => InputColumns.Require(inputSchema, n, IsValid, Expected))];
            var item = (PrimitiveDataViewType)InputColumns.ItemTypeOf(_sources[0].Type);
            foreach (DataViewSchema.Column source in _sources)
            {
                if (!InputColumns.ItemTypeOf(source.Type).Equals(item))
                {
                    throw new SchemaMismatchException(source.Name, $"items of {item} like column '{_sources[0].Name}'", $"{source.Type}");
                }
            }

            bool known = _sources.All(s => s.Type is not VectorDataViewType { IsKnownSize: false });
            int size = _sources.Sum(s => s.Type is VectorDataViewType v ? v.Size : 1);
            _outputType = known ? new VectorDataViewType(item, size) : new VectorDataViewType(item);
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns() => [new(_parent.OutputColumnName, _outputType)];

        protected override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => _sources;

        protected internal override Delegate MakeGetter(DataViewRow input, int outputIndex) =>
            (Delegate)typeof(Mapper).GetMethod(nameof(Typed), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(_outputType.ItemType.RawType).Invoke(null, [input, _sources])!;

        private static ValueGetter<VBuffer<T>> Typed<T>(DataViewRow input, DataViewSchema.Column[] sources)
        {
            var parts = sources.Select(s => s.Type is VectorDataViewType
                ? (Delegate)input.GetGetter<VBuffer<T>>(s)
                : input.GetGetter<T>(s)).ToArray();
            var scratch = new VBuffer<T>[parts.Length];
            var scalars = new T[parts.Length];
            return (ref VBuffer<T> value) =>
            {
                int length = 0;
                for (int i = 0; i < parts.Length; i++)
                {
                    if (parts[i] is ValueGetter<VBuffer<T>> vector)
                    {
                        vector(ref scratch[i]);
                        length += scratch[i].Length;
                    }
                    else
                    {
                        ((ValueGetter<T>)parts[i])(ref scalars[i]);
                        length++;
                    }
                }

                var editor = VBufferEditor.Create(ref value, length);
                Span<T> dst = editor.Values;
                int offset = 0;
                for (int i = 0; i < parts.Length; i++)
                {
                    if (parts[i] is ValueGetter<VBuffer<T>>)
                    {
                        scratch[i].GetValues().CopyTo(dst[offset..]);
                        offset += scratch[i].Length;
                    }
                    else
                    {
                        dst[offset++] = scalars[i];
                    }
                }

                value = editor.Commit();
            };
        }
    }
}
