using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetFlows.Persistence;

namespace MLNetFlows.Transforms.Tests.Persistence;

/// <summary>
/// The smallest subject for the persistence adapter: passes its input through unchanged and saves a text parameter
/// ("label"), an integer ("count", the payload's length, at least 0) and a binary entry ("payload.bin").
/// </summary>
internal sealed class PayloadTransformer(string label, byte[] payload) : ITransformer
{
    public const string Entry = "payload.bin";
    public static readonly PersistedModelKind Kind = new("MLNFTPAY", "MLNetFlowsTestPayload", typeof(PayloadTransformer));

    public string Label => label;

    public byte[] Payload => payload;

    public bool IsRowToRowMapper => false;

    public static void Register(ComponentCatalog catalog) => ModelLoaders.Register(catalog, Kind, (reader, _) =>
    {
        var count = reader.GetInt32("count", minimum: 0);
        var content = reader.ReadEntry(Entry);
        return content.Length == count
            ? new PayloadTransformer(reader.GetString("label"), content)
            : throw reader.Error($"'{Entry}' holds {content.Length} bytes, 'count' says {count}");
    });

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

    public IDataView Transform(IDataView input) => input;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException("the test payload transformer maps whole views only");

    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelWriter.Save(ctx, Kind, writer =>
    {
        writer.Set("label", label);
        writer.Set("count", payload.Length);
        writer.AddEntry(Entry, payload);
    });
}
