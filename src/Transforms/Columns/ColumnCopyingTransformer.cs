using System.Collections.Immutable;
using System.Text.Json.Nodes;
using MLNetFlows.Persistence;

namespace MLNetFlows.Transforms;

/// <summary>Copies columns: each output column has the type and values of its input column. Immutable.</summary>
public sealed class ColumnCopyingTransformer : RowToRowTransformerBase
{
    internal const string LoaderKind = "ColumnCopyingTransformer";

    internal ColumnCopyingTransformer(IEnumerable<InputOutputColumnPair> columns)
    {
        Columns = [.. columns];
        Guard.IsTrue(Columns.Length > 0, "at least one column pair", "none", nameof(columns));
    }

    /// <summary>Gets the copied column pairs.</summary>
    public ImmutableArray<InputOutputColumnPair> Columns { get; }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        Guard.NotNull(ctx);
        ctx.SetVersionInfo(LoaderKind, 1);
        ctx.Parameters["outputColumnNames"] = new JsonArray([.. Columns.Select(c => (JsonNode)c.OutputColumnName)]);
        ctx.Parameters["inputColumnNames"] = new JsonArray([.. Columns.Select(c => (JsonNode)c.InputColumnName)]);
    }

    internal static ColumnCopyingTransformer Load(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, 1);
        string[] outputs = ctx.GetStrings("outputColumnNames");
        string[] inputs = ctx.GetStrings("inputColumnNames");
        if (outputs.Length != inputs.Length || outputs.Length == 0)
        {
            throw ctx.Error($"expected as many input as output column names (at least one), got {inputs.Length} and {outputs.Length}");
        }

        return new ColumnCopyingTransformer(outputs.Zip(inputs, (o, i) => new InputOutputColumnPair(o, i)));
    }

    /// <inheritdoc/>
    protected override ColumnMapperBase MakeMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed class Mapper : RowColumnMapper
    {
        private readonly ColumnCopyingTransformer _parent;
        private readonly DataViewSchema.Column[] _sources;

        public Mapper(ColumnCopyingTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema)
        {
            _parent = parent;
            _sources = [.. parent.Columns.Select(c => InputColumns.Require(inputSchema, c.InputColumnName, _ => true, "any type"))];
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns() =>
            [.. _parent.Columns.Select((c, i) => new DataViewSchema.DetachedColumn(c.OutputColumnName, _sources[i].Type, _sources[i].Annotations))];

        protected override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_sources[outputIndex]];

        protected internal override Delegate MakeGetter(DataViewRow input, int outputIndex) =>
            (Delegate)typeof(Mapper).GetMethod(nameof(Typed), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(_sources[outputIndex].Type.RawType).Invoke(null, [input, _sources[outputIndex]])!;

        private static ValueGetter<T> Typed<T>(DataViewRow input, DataViewSchema.Column source) => input.GetGetter<T>(source);
    }
}
