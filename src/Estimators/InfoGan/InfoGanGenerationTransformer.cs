using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Persistence;
using MLNetFlows.Trainers.Glow;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>
/// InfoGAN's generation direction as an ML.NET transformer: per row, the classes (key columns <c>Category</c>,
/// <c>Category1</c>, … — the inference transformer's output types), the <c>Continuous</c> codes and an Int32
/// <c>Seed</c> give one generated image, as <c>GeneratedImage</c> (<c>Vector&lt;Single, C, H, W&gt;</c>, planar pixels in
/// [0, 255]) and as <c>GeneratedMLImage</c> (ImageAnalytics' <c>MLImage</c>, RGBA), one generator pass per batch of
/// <see cref="BatchSize"/> rows. The same row gives the same image (<see cref="InfoGanTransformer.Generate(int, IReadOnlyList{float}, int, int)"/>
/// with that seed and count 1 gives it too). Made by <see cref="InfoGanTransformer.AsGenerator"/>, whose weights it
/// shares (disposing either frees them); saved and loaded by <c>mlContext.Model</c> on its own.
/// </summary>
public sealed class InfoGanGenerationTransformer : BatchedTransformer, IDisposable
{
    internal static readonly PersistedModelKind Kind = new("INFOGANG", "MLNetFlowsInfoGanGen", typeof(InfoGanGenerationTransformer));

    internal InfoGanGenerationTransformer(InfoGanNetwork network, InfoGanGenerationColumns columns, int batchSize)
    {
        Network = network;
        Columns = columns;
        BatchSize = batchSize;
    }

    /// <summary>Gets the columns read and written.</summary>
    public InfoGanGenerationColumns Columns { get; }

    /// <summary>Gets the number of rows per generator pass.</summary>
    public int BatchSize { get; }

    /// <summary>Gets the network's hyper-parameters.</summary>
    public InfoGanArchitecture Architecture => Network.Architecture;

    internal InfoGanNetwork Network { get; }

    private protected override PersistedModelKind ModelKind => Kind;

    /// <summary>Frees the native weights (shared with the transformer this one was made from).</summary>
    public void Dispose() => Network.Dispose();

    internal static void Register(ComponentCatalog catalog) => ModelLoaders.Register(catalog, Kind, (reader, _) => Load(reader));

    internal static InfoGanGenerationTransformer Load(ModelReader reader)
    {
        InfoGanGenerationColumns columns;
        try
        {
            columns = new InfoGanGenerationColumns(reader.GetColumnName("categoryColumnName"), reader.GetColumnName("continuousColumnName"), reader.GetColumnName("seedColumnName"), reader.GetColumnName("outputColumnName"), reader.GetColumnName("imageColumnName"));
        }
        catch (ArgumentException e)
        {
            throw reader.Error($"the generation columns are invalid: {e.Message}");
        }

        var batchSize = reader.GetInt32("batchSize", 1, GlowTrainerOptions.MaximumScoringBatchSize);
        return new(InfoGanNetworkFile.Load(reader, CPU), columns, batchSize);
    }

    private protected override BatchMapper MakeMapper(DataViewSchema inputSchema) => new InfoGanGenerationMapper(inputSchema, Network, Columns, BatchSize);

    private protected override void SaveModel(ModelWriter writer)
    {
        writer.Set("categoryColumnName", Columns.CategoryColumnName);
        writer.Set("continuousColumnName", Columns.ContinuousColumnName);
        writer.Set("seedColumnName", Columns.SeedColumnName);
        writer.Set("outputColumnName", Columns.OutputColumnName);
        writer.Set("imageColumnName", Columns.ImageColumnName);
        writer.Set("batchSize", BatchSize);
        InfoGanNetworkFile.Save(Network, writer);
    }
}
