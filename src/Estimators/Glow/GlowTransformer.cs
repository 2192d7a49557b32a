using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Models.Glow;
using MLNetFlows.Persistence;
using MLNetFlows.Trainers.Glow;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Glow;

/// <summary>
/// A fitted Glow density model. <see cref="BatchedTransformer.Transform"/> adds <c>LogLikelihood</c>,
/// <c>BitsPerDim</c>, <c>LevelBitsPerDim</c> (and <c>Latent</c> when enabled), scoring <see cref="ScoringBatchSize"/>
/// rows per forward pass in inference mode. It also generates: <see cref="Sample"/>, <see cref="Encode"/>,
/// <see cref="Decode"/>, <see cref="Interpolate"/>. Immutable; saved by <c>mlContext.Model.Save</c> as a manifest plus
/// the weights in safetensors. Dispose it to free the native weights now rather than at finalisation; note that
/// ML.NET's <c>PredictionEngine</c> disposes the transformer it was made from when it is disposed, unless it was
/// created with <c>PredictionEngineOptions.OwnsTransformer = false</c>.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Column</term><description>Type and content</description></listheader>
/// <item><term>input: FeatureColumnName</term><description><c>Vector&lt;Single, C, H, W&gt;</c> or <c>Vector&lt;Single, C·H·W&gt;</c>: planar pixels in [0, 255] (ExtractPixels' defaults)</description></item>
/// <item><term>LogLikelihood</term><description><c>Single</c>: log P(x) in nats, bin-centre dequantisation</description></item>
/// <item><term>BitsPerDim</term><description><c>Single</c>: −log₂ P(x) per original pixel</description></item>
/// <item><term>LevelBitsPerDim</term><description><c>Vector&lt;Single, L&gt;</c>: bits/dim of each level's latent</description></item>
/// <item><term>Latent</term><description><c>Vector&lt;Single, D&gt;</c>: the concatenated latents (with OutputLatent)</description></item>
/// </list>
/// </remarks>
public sealed class GlowTransformer : BatchedTransformer, IDisposable
{
    internal static readonly PersistedModelKind Kind = new("GLOWDENS", "MLNetFlowsGlow", typeof(GlowTransformer));

    internal GlowTransformer(GlowNetwork network, string featureColumnName, bool outputLatent, int scoringBatchSize, IReadOnlyList<GlowEpochReport> history)
    {
        Network = network;
        FeatureColumnName = featureColumnName;
        OutputLatent = outputLatent;
        ScoringBatchSize = scoringBatchSize;
        TrainingHistory = history;
    }

    /// <summary>Gets the input column of pixel values.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Gets a value indicating whether the <c>Latent</c> column is added.</summary>
    public bool OutputLatent { get; }

    /// <summary>Gets the number of rows per forward pass.</summary>
    public int ScoringBatchSize { get; }

    /// <summary>Gets the per-epoch figures of the training run (empty for a loaded model).</summary>
    public IReadOnlyList<GlowEpochReport> TrainingHistory { get; }

    /// <summary>Gets the network's hyper-parameters.</summary>
    public GlowArchitecture Architecture => Network.Architecture;

    /// <summary>Gets the image geometry (channels, height, width) of the input column.</summary>
    public (int Channels, int Height, int Width) ImageShape => (Network.Channels, Network.Height, Network.Width);

    /// <summary>Gets the bits per pixel modelled.</summary>
    public int NumberOfBits => Network.Bits;

    /// <summary>Gets the TorchSharp module (in evaluation mode), to inspect, fine-tune or move like any TorchSharp model.</summary>
    public GlowModel Model => Network.Model;

    internal GlowNetwork Network { get; }

    private protected override PersistedModelKind ModelKind => Kind;

    /// <summary>
    /// Draws <paramref name="count"/> images; <paramref name="temperature"/> scales the priors' standard deviations
    /// (openai/glow shows samples at 0.7). With a <paramref name="seed"/>, libtorch's generator is seeded first, so the same
    /// seed gives the same images.
    /// </summary>
    /// <param name="count">Images to draw.</param>
    /// <param name="temperature">Scale of the priors' standard deviations.</param>
    /// <param name="seed">Seed of libtorch's generator, or null to continue its sequence.</param>
    public GlowImages Sample(int count, double temperature = 0.7, int? seed = null) => Network.Sample(count, temperature, seed);

    /// <summary>
    /// Mean bits/dim (per original pixel) of every row of <paramref name="data"/>'s feature column under uniform
    /// dequantisation noise u drawn from <paramref name="seed"/>: the mean of −log₂ p(x + u) / D, an unbiased estimate
    /// of the variational bound on the discrete model's bits/dim, the figure the Glow and RealNVP papers report. The
    /// per-row BitsPerDim column evaluates the bin centres instead (deterministic, for scoring); that is no bound and
    /// reads lower on a trained model. With <paramref name="samples"/> = k &gt; 1, each row's likelihood is the mean of
    /// k noisy draws, log((1/k) Σᵢ p(x + uᵢ)): the importance-weighted bound (Burda et al. 2016), tighter as k grows.
    /// </summary>
    /// <param name="data">Rows with the feature column.</param>
    /// <param name="seed">Seed of the dequantisation noise.</param>
    /// <param name="samples">Noise draws per row (k).</param>
    public double EvaluateBitsPerDim(IDataView data, int seed = 0, int samples = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = data.Schema.GetColumnOrNull(FeatureColumnName)
            ?? throw new ArgumentException($"the data has no column '{FeatureColumnName}' (the pixel column this model scores)", nameof(data));
        return Network.DequantizedBitsPerDim(PixelBatches(data, column), seed, samples);
    }

    /// <summary>The latent code (all levels, concatenated) of one image of C·H·W pixel values in [0, 255].</summary>
    /// <param name="pixels">Planar pixel values.</param>
    public float[] Encode(ReadOnlySpan<float> pixels) => Network.Encode(pixels);

    /// <summary>Images from latent codes produced by <see cref="Encode"/>.</summary>
    /// <param name="latents">Latent codes.</param>
    public GlowImages Decode(IReadOnlyList<float[]> latents) => Network.Decode(latents);

    /// <summary><paramref name="steps"/> images along the straight line between the latents of two images (both ends included).</summary>
    /// <param name="from">The first image's planar pixel values.</param>
    /// <param name="to">The last image's planar pixel values.</param>
    /// <param name="steps">Images on the path, at least 2.</param>
    public GlowImages Interpolate(ReadOnlySpan<float> from, ReadOnlySpan<float> to, int steps = 8)
    {
        if (steps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "expected at least 2 steps (the two ends)");
        }

        var a = Encode(from);
        var b = Encode(to);
        var path = new float[steps][];
        for (var s = 0; s < steps; s++)
        {
            var t = (float)s / (steps - 1);
            path[s] = new float[a.Length];
            for (var i = 0; i < a.Length; i++)
            {
                path[s][i] = ((1 - t) * a[i]) + (t * b[i]);
            }
        }

        return Decode(path);
    }

    /// <summary>Frees the native weights.</summary>
    public void Dispose() => Network.Dispose();

    internal static void Register(ComponentCatalog catalog) => ModelLoaders.Register(catalog, Kind, (reader, _) => Load(reader));

    /// <summary>Writes the transformer's settings and network (also used, nested, by the anomaly transformer).</summary>
    internal void SaveSettings(ModelWriter writer)
    {
        writer.Set("featureColumnName", FeatureColumnName);
        writer.Set("outputLatent", OutputLatent);
        writer.Set("scoringBatchSize", ScoringBatchSize);
        GlowNetworkFile.Save(Network, writer);
    }

    /// <summary>Reads what <see cref="SaveSettings"/> wrote; the network goes to the CPU.</summary>
    internal static GlowTransformer Load(ModelReader reader)
    {
        var featureColumnName = reader.GetColumnName("featureColumnName");
        var outputLatent = reader.GetBoolean("outputLatent");
        var scoringBatchSize = reader.GetInt32("scoringBatchSize", 1, GlowTrainerOptions.MaximumScoringBatchSize);
        return new(GlowNetworkFile.Load(reader, CPU), featureColumnName, outputLatent, scoringBatchSize, []);
    }

    private protected override BatchMapper MakeMapper(DataViewSchema inputSchema) =>
        new GlowScoringMapper(inputSchema, Network, FeatureColumnName, OutputLatent, anomaly: null, ScoringBatchSize);

    private protected override void SaveModel(ModelWriter writer) => SaveSettings(writer);

    private IEnumerable<(float[] Pixels, int Count)> PixelBatches(IDataView data, DataViewSchema.Column column)
    {
        var dims = Network.Dimensions;
        var pixels = new float[ScoringBatchSize * dims];
        var count = 0;
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> row = default;
        while (cursor.MoveNext())
        {
            getter(ref row);
            GlowScoringMapper.CopyPixels(column.Name, row, pixels.AsSpan(count * dims, dims));
            if (++count == ScoringBatchSize)
            {
                yield return (pixels, count);
                count = 0;
            }
        }

        if (count > 0)
        {
            yield return (pixels, count);
        }
    }
}
