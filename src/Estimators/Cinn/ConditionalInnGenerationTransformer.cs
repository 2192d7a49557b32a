using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Persistence;
using MLNetFlows.Trainers.Glow;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// The conditional INN's generation direction as an ML.NET transformer: per row, a class and a seed give generated
/// images, one model call per batch of <see cref="ConditionalInnGenerationOptions.BatchSize"/> rows.
/// <list type="table">
/// <listheader><term>Column</term><description>Type and content</description></listheader>
/// <item><term>input: ConditionColumnName</term><description><c>Key&lt;UInt32, K&gt;</c> or <c>Int32</c> class index</description></item>
/// <item><term>input: SeedColumnName</term><description><c>Int32</c>: the row's seed</description></item>
/// <item><term>OutputColumnName</term><description><c>Vector&lt;Single, C, H, W&gt;</c> (one image per row) or <c>Vector&lt;Single, n, C, H, W&gt;</c>: planar pixels in [0, 255]</description></item>
/// </list>
/// The same (class, seed) gives the same images whatever the batch size or the other rows (see
/// <see cref="ConditionalInnGenerationOptions"/>). Made by <see cref="ConditionalInnTransformer.AsGenerator"/>, whose
/// weights it shares (disposing either frees them); saved and loaded by <c>mlContext.Model</c> on its own.
/// </summary>
public sealed class ConditionalInnGenerationTransformer : BatchedTransformer, IDisposable
{
    internal static readonly PersistedModelKind Kind = new("CINNGENR", "MLNetFlowsCinnGenerate", typeof(ConditionalInnGenerationTransformer));

    internal ConditionalInnGenerationTransformer(ConditionalInnNetwork network, ConditionalInnGenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Network = network;
        Options = options;
    }

    /// <summary>Gets the columns and drawing settings.</summary>
    public ConditionalInnGenerationOptions Options { get; }

    /// <summary>Gets the number of classes K.</summary>
    public int NumberOfClasses => Network.Classes;

    /// <summary>Gets the geometry (channels, height, width) of each generated image.</summary>
    public (int Channels, int Height, int Width) ImageShape => (Network.Channels, Network.Height, Network.Width);

    internal ConditionalInnNetwork Network { get; }

    private protected override PersistedModelKind ModelKind => Kind;

    /// <summary>Frees the native weights (shared with the transformer this one was made from).</summary>
    public void Dispose() => Network.Dispose();

    internal static void Register(ComponentCatalog catalog) => ModelLoaders.Register(catalog, Kind, (reader, _) => Load(reader));

    /// <summary>Reads what <see cref="SaveModel"/> wrote, the settings before the network is built; the network goes to the CPU.</summary>
    internal static ConditionalInnGenerationTransformer Load(ModelReader reader)
    {
        var options = new ConditionalInnGenerationOptions
        {
            ConditionColumnName = reader.GetColumnName("conditionColumnName"),
            SeedColumnName = reader.GetColumnName("seedColumnName"),
            OutputColumnName = reader.GetColumnName("outputColumnName"),
            ImagesPerRow = reader.GetInt32("imagesPerRow", 1, ConditionalInnGenerationOptions.MaxImagesPerRow),
            Temperature = reader.GetDouble("temperature"),
            Seed = reader.GetInt32("seed", int.MinValue),
            BatchSize = reader.GetInt32("batchSize", 1, GlowTrainerOptions.MaximumScoringBatchSize),
        };
        var network = ConditionalInnNetworkFile.Load(reader, CPU);
        try
        {
            try
            {
                return new ConditionalInnGenerationTransformer(network, options);
            }
            catch (ArgumentException e)
            {
                throw reader.Error($"the generation settings are invalid: {e.Message}");
            }
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private protected override BatchMapper MakeMapper(DataViewSchema inputSchema) => new ConditionalInnGenerationMapper(inputSchema, Network, Options);

    private protected override void SaveModel(ModelWriter writer)
    {
        writer.Set("conditionColumnName", Options.ConditionColumnName);
        writer.Set("seedColumnName", Options.SeedColumnName);
        writer.Set("outputColumnName", Options.OutputColumnName);
        writer.Set("imagesPerRow", Options.ImagesPerRow);
        writer.Set("temperature", Options.Temperature);
        writer.Set("seed", Options.Seed);
        writer.Set("batchSize", Options.BatchSize);
        ConditionalInnNetworkFile.Save(Network, writer);
    }
}
