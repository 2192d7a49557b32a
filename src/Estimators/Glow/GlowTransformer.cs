using MLNetFlows.Data;
using MLNetFlows.Models.Glow;
using MLNetFlows.Persistence;
using MLNetFlows.Torch;
using MLNetFlows.Trainers.Glow;

namespace MLNetFlows.Estimators.Glow;

/// <summary>
/// A fitted Glow density model. <see cref="RowToRowTransformerBase.Transform"/> adds <c>LogLikelihood</c>,
/// <c>BitsPerDim</c>, <c>LevelBitsPerDim</c> (and <c>Latent</c> when enabled), scoring batches of rows in inference mode.
/// It also generates: <see cref="Sample"/>, <see cref="Encode"/>, <see cref="Decode"/>, <see cref="Interpolate"/>.
/// Immutable; saved by <c>mlContext.Model.Save</c> as parameters plus the weights in safetensors. Dispose it to free the
/// native weights now rather than at finalisation.
/// </summary>
public sealed class GlowTransformer : RowToRowTransformerBase, IDisposable
{
    internal const string LoaderKind = "GlowTransformer";

    internal GlowTransformer(GlowNetwork network, string featureColumnName, bool outputLatent, int scoringBatchSize, IReadOnlyList<GlowEpochReport> history)
    {
        Network = network;
        FeatureColumnName = featureColumnName;
        OutputLatent = outputLatent;
        ScoringBatchSize = scoringBatchSize;
        TrainingHistory = history;
    }

    /// <summary>The input column of pixel values.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Whether the <c>Latent</c> column is added.</summary>
    public bool OutputLatent { get; }

    /// <summary>Rows per forward pass.</summary>
    public int ScoringBatchSize { get; }

    /// <summary>Per-epoch figures of the training run (empty for a loaded model).</summary>
    public IReadOnlyList<GlowEpochReport> TrainingHistory { get; }

    /// <summary>The network's hyper-parameters.</summary>
    public GlowArchitecture Architecture => Network.Architecture;

    /// <summary>Image geometry (channels, height, width) of the input column.</summary>
    public (int Channels, int Height, int Width) ImageShape => (Network.Channels, Network.Height, Network.Width);

    /// <summary>Bits per pixel modelled.</summary>
    public int NumberOfBits => Network.Bits;

    internal GlowNetwork Network { get; }

    /// <summary>
    /// Draws <paramref name="count"/> images; <paramref name="temperature"/> scales the priors' standard deviations
    /// (openai/glow shows samples at 0.7). With a <paramref name="seed"/>, libtorch's generator is seeded first, so the same
    /// seed gives the same images.
    /// </summary>
    public GlowImages Sample(int count, double temperature = 0.7, int? seed = null) => Network.Sample(count, temperature, seed);

    /// <summary>
    /// Mean bits/dim (per original pixel) of every row of <paramref name="data"/>'s feature column under uniform
    /// dequantisation noise u drawn from <paramref name="seed"/>: the mean of −log₂ p(x + u) / D, an unbiased estimate
    /// of the variational bound on the discrete model's bits/dim, the figure the Glow and RealNVP papers report. The
    /// per-row BitsPerDim column evaluates the bin centres instead (deterministic, for scoring); that is no bound and
    /// reads lower on a trained model. With <paramref name="samples"/> = k &gt; 1, each row's likelihood is the mean of
    /// k noisy draws, log((1/k) Σᵢ p(x + uᵢ)): the importance-weighted bound (Burda et al. 2016), tighter as k grows.
    /// </summary>
    public double EvaluateBitsPerDim(IDataView data, int seed = 0, int samples = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = data.Schema.GetColumnOrNull(FeatureColumnName)
            ?? throw new ArgumentException($"the data has no column '{FeatureColumnName}' (the pixel column this model scores)", nameof(data));
        return Network.DequantizedBitsPerDim(PixelBatches(data, column), seed, samples);
    }

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
            var values = row.GetValues();
            GlowScoringMapper.CheckPixels(column.Name, values, dims);
            values.CopyTo(pixels.AsSpan(count * dims));
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

    /// <summary>The latent code (all levels, concatenated) of one image of C·H·W pixel values in [0, 255].</summary>
    public float[] Encode(ReadOnlySpan<float> pixels) => Network.Encode(pixels);

    /// <summary>Images from latent codes produced by <see cref="Encode"/>.</summary>
    public GlowImages Decode(IReadOnlyList<float[]> latents) => Network.Decode(latents);

    /// <summary>
    /// <paramref name="steps"/> images along the straight line between the latents of two images (both ends included).
    /// </summary>
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

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetVersionInfo(LoaderKind, 1);
        ctx.Parameters["featureColumnName"] = FeatureColumnName;
        ctx.Parameters["outputLatent"] = OutputLatent;
        ctx.Parameters["scoringBatchSize"] = ScoringBatchSize;
        Network.Save(ctx);
    }

    /// <summary>Frees the native weights.</summary>
    public void Dispose() => Network.Model.Dispose();

    internal static GlowTransformer Load(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, 1);
        var network = GlowNetwork.Load(ctx, Device.Cpu);
        return new GlowTransformer(network, ctx.GetString("featureColumnName"), ctx.GetBoolean("outputLatent"), ctx.GetInt32("scoringBatchSize"), []);
    }

    /// <inheritdoc/>
    protected override ColumnMapperBase MakeMapper(DataViewSchema inputSchema) =>
        new GlowScoringMapper(inputSchema, Network, FeatureColumnName, OutputLatent, anomaly: null, ScoringBatchSize);
}
