using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Persistence;
using MLNetFlows.Trainers.Glow;
using MLNetFlows.Trainers.InfoGan;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>
/// A fitted InfoGAN. <see cref="BatchedTransformer.Transform"/> infers the codes of images with Q, scoring
/// <see cref="InferenceBatchSize"/> rows per pass in inference mode: the <c>Category</c> key (usable as a cluster id,
/// e.g. by <c>mlContext.Clustering.Evaluate</c>, or as a feature), its probability vector and the <c>Continuous</c>
/// vector. <see cref="Generate(int, IReadOnlyList{float}, int, int)"/> and <see cref="Traverse"/> generate images from
/// codes. Immutable; saved by <c>mlContext.Model.Save</c> as a manifest plus the weights in safetensors. Dispose it to
/// free the native weights now rather than at finalisation.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Column</term><description>Type and content</description></listheader>
/// <item><term>input: FeatureColumnName</term><description><c>Vector&lt;Single, C, H, W&gt;</c> or <c>Vector&lt;Single, C·H·W&gt;</c>: planar pixels in [0, 255] (ExtractPixels' defaults)</description></item>
/// <item><term>Category</term><description><c>Key&lt;UInt32, K&gt;</c>: Q's most probable class of the first categorical code, 1 … K (class c is key c + 1)</description></item>
/// <item><term>CategoryProbabilities</term><description><c>Vector&lt;Single, K&gt;</c>: Q's class probabilities</description></item>
/// <item><term>Category1, Category1Probabilities, …</term><description>the same for further categorical codes</description></item>
/// <item><term>Continuous</term><description><c>Vector&lt;Single, M&gt;</c>: Q's means of the continuous codes</description></item>
/// </list>
/// </remarks>
public sealed class InfoGanTransformer : BatchedTransformer, IDisposable
{
    internal static readonly PersistedModelKind Kind = new("INFOGANT", "MLNetFlowsInfoGan", typeof(InfoGanTransformer));

    internal InfoGanTransformer(InfoGanNetwork network, string featureColumnName, int inferenceBatchSize, IReadOnlyList<InfoGanEpochReport> history)
    {
        Network = network;
        FeatureColumnName = featureColumnName;
        InferenceBatchSize = inferenceBatchSize;
        TrainingHistory = history;
    }

    /// <summary>Gets the input column of pixel values.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Gets the number of rows per inference pass.</summary>
    public int InferenceBatchSize { get; }

    /// <summary>Gets the per-epoch figures of the training run (empty for a loaded model).</summary>
    public IReadOnlyList<InfoGanEpochReport> TrainingHistory { get; }

    /// <summary>Gets the network's hyper-parameters (image shape, codes, widths).</summary>
    public InfoGanArchitecture Architecture => Network.Architecture;

    /// <summary>Gets the TorchSharp module (in evaluation mode), to inspect, fine-tune or move like any TorchSharp model.</summary>
    public InfoGanModel Model => Network.Model;

    internal InfoGanNetwork Network { get; }

    private protected override PersistedModelKind ModelKind => Kind;

    /// <summary>
    /// <paramref name="count"/> images of class <paramref name="category"/> (of the single categorical code) with the
    /// continuous codes <paramref name="continuous"/>; the noise is drawn from <paramref name="seed"/>, so the same
    /// arguments give the same images.
    /// </summary>
    /// <param name="category">Class of the categorical code, 0 … K − 1 (key value − 1).</param>
    /// <param name="continuous">One value per continuous code (the prior covers [−1, 1]; values beyond extrapolate).</param>
    /// <param name="count">Images to generate.</param>
    /// <param name="seed">Seed of the noise.</param>
    /// <exception cref="ArgumentException">The model has no or several categorical codes, or a value does not fit.</exception>
    public GlowImages Generate(int category, IReadOnlyList<float> continuous, int count = 1, int seed = 0)
    {
        if (Architecture.CategoryCounts.Count != 1)
        {
            throw new ArgumentException($"this model has {Architecture.CategoryCounts.Count} categorical codes; pass one class per code to Generate(IReadOnlyList<int>, ...)", nameof(category));
        }

        return Network.Generate([category], continuous, count, seed);
    }

    /// <summary>
    /// <paramref name="count"/> images with one class per categorical code (<paramref name="categories"/>) and the
    /// continuous codes <paramref name="continuous"/>; the noise is drawn from <paramref name="seed"/>.
    /// </summary>
    /// <param name="categories">Class of each categorical code, 0 … Kᵢ − 1.</param>
    /// <param name="continuous">One value per continuous code.</param>
    /// <param name="count">Images to generate.</param>
    /// <param name="seed">Seed of the noise.</param>
    public GlowImages Generate(IReadOnlyList<int> categories, IReadOnlyList<float> continuous, int count = 1, int seed = 0) =>
        Network.Generate(categories, continuous, count, seed);

    /// <summary>
    /// The paper's Figure 2: one noise vector (from <paramref name="seed"/>) for every image; one row per class of the
    /// first categorical code; <paramref name="steps"/> columns sweeping continuous code <paramref name="code"/> from
    /// <paramref name="from"/> to <paramref name="to"/>, the other continuous codes at 0. Row-major: encode with
    /// <c>ToPngGrid(columns: steps)</c>.
    /// </summary>
    /// <param name="code">The continuous code to sweep, 0 … M − 1.</param>
    /// <param name="steps">Columns, at least 2.</param>
    /// <param name="from">First value of the sweep.</param>
    /// <param name="to">Last value of the sweep.</param>
    /// <param name="seed">Seed of the shared noise.</param>
    public GlowImages Traverse(int code = 0, int steps = 9, float from = -2, float to = 2, int seed = 0) =>
        Network.Traverse(code, steps, from, to, seed);

    /// <summary>
    /// The generation direction as a transformer over code columns (class keys, continuous vector, Int32 seed per row →
    /// generated image), sharing this model's weights; see <see cref="InfoGanGenerationTransformer"/>.
    /// </summary>
    /// <param name="columns">Column names (defaults: Category…, Continuous, Seed → GeneratedImage).</param>
    /// <param name="batchSize">Rows per generator pass, 1 to <see cref="GlowTrainerOptions.MaximumScoringBatchSize"/> (a saved generator with more is refused when it is loaded).</param>
    public InfoGanGenerationTransformer AsGenerator(InfoGanGenerationColumns? columns = null, int batchSize = InfoGanEstimator.Options.DefaultInferenceBatchSize)
    {
        columns ??= new InfoGanGenerationColumns();
        columns.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, GlowTrainerOptions.MaximumScoringBatchSize);
        return new InfoGanGenerationTransformer(Network, columns, batchSize);
    }

    /// <summary>Frees the native weights.</summary>
    public void Dispose() => Network.Dispose();

    internal static void Register(ComponentCatalog catalog) => ModelLoaders.Register(catalog, Kind, (reader, _) => Load(reader));

    /// <summary>Reads what <see cref="SaveModel"/> wrote, the settings before the network is built; the network goes to the CPU.</summary>
    internal static InfoGanTransformer Load(ModelReader reader)
    {
        var featureColumnName = reader.GetColumnName("featureColumnName");
        var inferenceBatchSize = reader.GetInt32("inferenceBatchSize", 1, GlowTrainerOptions.MaximumScoringBatchSize);
        return new(InfoGanNetworkFile.Load(reader, CPU), featureColumnName, inferenceBatchSize, []);
    }

    private protected override BatchMapper MakeMapper(DataViewSchema inputSchema) =>
        new InfoGanInferenceMapper(inputSchema, Network, FeatureColumnName, InferenceBatchSize);

    private protected override void SaveModel(ModelWriter writer)
    {
        writer.Set("featureColumnName", FeatureColumnName);
        writer.Set("inferenceBatchSize", InferenceBatchSize);
        InfoGanNetworkFile.Save(Network, writer);
    }
}
