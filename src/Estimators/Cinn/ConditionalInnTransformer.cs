using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Persistence;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Trainers.Glow;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// A fitted class-conditional INN (Ardizzone et al. 2019). <see cref="BatchedTransformer.Transform"/> scores
/// <see cref="ScoringBatchSize"/> rows per pass, each under every class, and adds:
/// <list type="table">
/// <listheader><term>Column</term><description>Type and content</description></listheader>
/// <item><term>input: FeatureColumnName</term><description><c>Vector&lt;Single, C·H·W&gt;</c>: planar pixels in [0, 255]</description></item>
/// <item><term>input: LabelColumnName (optional)</term><description><c>Key&lt;UInt32, K&gt;</c> or <c>Int32</c> class index</description></item>
/// <item><term>LogLikelihood</term><description><c>Single</c>: log p(x | c) in nats given the row's label (only with the label column)</description></item>
/// <item><term>BitsPerDim</term><description><c>Single</c>: −log₂ p(x | c) per original pixel (only with the label column)</description></item>
/// <item><term>Score</term><description><c>Vector&lt;Single, K&gt;</c>: the posterior p(c | x) ∝ p(x | c)·p(c)</description></item>
/// <item><term>PredictedLabel</term><description><c>Key&lt;UInt32, K&gt;</c>: argmax_c [log p(x | c) + log p(c)], for <c>MulticlassClassification.Evaluate</c></description></item>
/// </list>
/// Generates with <see cref="Sample"/>. Immutable; saved by <c>mlContext.Model.Save</c> as a manifest plus the weights
/// in safetensors. Dispose it to free the native weights.
/// </summary>
public sealed class ConditionalInnTransformer : BatchedTransformer, IDisposable
{
    internal static readonly PersistedModelKind Kind = new("CINNCLAS", "MLNetFlowsConditionalInn", typeof(ConditionalInnTransformer));

    internal ConditionalInnTransformer(ConditionalInnNetwork network, string featureColumnName, string labelColumnName, int scoringBatchSize, IReadOnlyList<ConditionalInnEpochReport> history)
    {
        Network = network;
        FeatureColumnName = featureColumnName;
        LabelColumnName = labelColumnName;
        ScoringBatchSize = scoringBatchSize;
        TrainingHistory = history;
    }

    /// <summary>Gets the input column of pixel values.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Gets the label column (read when present, for LogLikelihood and BitsPerDim).</summary>
    public string LabelColumnName { get; }

    /// <summary>Gets the number of rows per forward pass.</summary>
    public int ScoringBatchSize { get; }

    /// <summary>Gets the per-epoch figures of the training run (empty for a loaded model).</summary>
    public IReadOnlyList<ConditionalInnEpochReport> TrainingHistory { get; }

    /// <summary>Gets the network's hyper-parameters.</summary>
    public ConditionalInnArchitecture Architecture => Network.Architecture;

    /// <summary>Gets the number of classes K.</summary>
    public int NumberOfClasses => Network.Classes;

    /// <summary>Gets the class log-priors log p(c) (Laplace-smoothed training frequencies).</summary>
    public IReadOnlyList<double> ClassLogPriors => Network.LogPriors;

    /// <summary>Gets the image geometry (channels, height, width) of the input column.</summary>
    public (int Channels, int Height, int Width) ImageShape => (Network.Channels, Network.Height, Network.Width);

    /// <summary>Gets the bits per pixel value the model was trained on (pixels are reduced to them before scoring).</summary>
    public int NumberOfBits => Network.Bits;

    /// <summary>Gets the TorchSharp module (in evaluation mode).</summary>
    public ConditionalInnModel Model => Network.Model;

    internal ConditionalInnNetwork Network { get; }

    private protected override PersistedModelKind ModelKind => Kind;

    /// <summary>
    /// Draws <paramref name="count"/> images of class <paramref name="label"/> (0 … K − 1; key value − 1 for a key label);
    /// <paramref name="temperature"/> scales the latent's standard deviation. With a <paramref name="seed"/>, libtorch's
    /// generator is seeded first, so the same seed gives the same images.
    /// </summary>
    /// <param name="label">The class index.</param>
    /// <param name="count">Images to draw.</param>
    /// <param name="temperature">Scale of the latent's standard deviation.</param>
    /// <param name="seed">Seed of libtorch's generator, or null to continue its sequence.</param>
    public GlowImages Sample(int label, int count = 1, double temperature = 1, int? seed = null) => Network.Sample(label, count, temperature, seed);

    /// <summary>
    /// The generation direction as a transformer over condition columns (class and Int32 seed per row → generated images),
    /// sharing this model's weights; see <see cref="ConditionalInnGenerationTransformer"/>.
    /// </summary>
    /// <param name="options">Columns and drawing settings (defaults: Label, Seed → GeneratedImage, one image at temperature 1).</param>
    public ConditionalInnGenerationTransformer AsGenerator(ConditionalInnGenerationOptions? options = null) =>
        new(Network, options ?? new ConditionalInnGenerationOptions());

    /// <summary>
    /// Mean conditional bits/dim (per original pixel) of every row of <paramref name="data"/> given its label, under
    /// uniform dequantisation noise drawn from <paramref name="seed"/> (the variational bound papers report).
    /// </summary>
    /// <param name="data">Rows with the feature and label columns.</param>
    /// <param name="seed">Seed of the dequantisation noise.</param>
    public double EvaluateBitsPerDim(IDataView data, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        var features = ConditionalInnColumns.RequireFeatures(data.Schema, FeatureColumnName, Network.Channels, Network.Height, Network.Width);
        var label = ConditionalInnColumns.RequireLabel(data.Schema, LabelColumnName, Network.Classes);
        return Network.DequantizedBitsPerDim(Batches(data, features, label), seed);
    }

    /// <summary>Frees the native weights.</summary>
    public void Dispose() => Network.Dispose();

    internal static void Register(ComponentCatalog catalog) => ModelLoaders.Register(catalog, Kind, (reader, _) => Load(reader));

    /// <summary>Reads what <see cref="SaveModel"/> wrote, the settings before the network is built; the network goes to the CPU.</summary>
    internal static ConditionalInnTransformer Load(ModelReader reader)
    {
        var featureColumnName = reader.GetColumnName("featureColumnName");
        var labelColumnName = reader.GetColumnName("labelColumnName");
        var scoringBatchSize = reader.GetInt32("scoringBatchSize", 1, GlowTrainerOptions.MaximumScoringBatchSize);
        return new(ConditionalInnNetworkFile.Load(reader, CPU), featureColumnName, labelColumnName, scoringBatchSize, []);
    }

    private protected override BatchMapper MakeMapper(DataViewSchema inputSchema) =>
        new ConditionalInnScoringMapper(inputSchema, Network, FeatureColumnName, LabelColumnName, ScoringBatchSize);

    private protected override void SaveModel(ModelWriter writer)
    {
        writer.Set("featureColumnName", FeatureColumnName);
        writer.Set("labelColumnName", LabelColumnName);
        writer.Set("scoringBatchSize", ScoringBatchSize);
        ConditionalInnNetworkFile.Save(Network, writer);
    }

    private IEnumerable<(float[] Pixels, int[] Classes, int Count)> Batches(IDataView data, DataViewSchema.Column features, DataViewSchema.Column label)
    {
        var dims = Network.Dimensions;
        var pixels = new float[ScoringBatchSize * dims];
        var classes = new int[ScoringBatchSize];
        var count = 0;
        var isKey = label.Type is KeyDataViewType;
        using var cursor = data.GetRowCursor([features, label]);
        var getter = cursor.GetGetter<VBuffer<float>>(features);
        var keyGetter = isKey ? cursor.GetGetter<uint>(label) : null;
        var intGetter = isKey ? null : cursor.GetGetter<int>(label);
        VBuffer<float> row = default;
        uint key = 0;
        var value = 0;
        while (cursor.MoveNext())
        {
            getter(ref row);
            GlowScoringMapper.CopyPixels(features.Name, row, pixels.AsSpan(count * dims, dims));
            if (isKey)
            {
                keyGetter!(ref key);
                classes[count] = ConditionalInnColumns.ClassIndex(label.Name, key, isKey: true, Network.Classes);
            }
            else
            {
                intGetter!(ref value);
                classes[count] = ConditionalInnColumns.ClassIndex(label.Name, value, isKey: false, Network.Classes);
            }

            if (++count == ScoringBatchSize)
            {
                yield return (pixels, classes, count);
                count = 0;
            }
        }

        if (count > 0)
        {
            yield return (pixels, classes, count);
        }
    }
}
