using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Persistence;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Trainers.Glow;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// A fitted image-conditioned INN (Ardizzone et al. 2019; for colorization x = the chroma Cb, Cr and the condition = the
/// lightness Y of <see cref="YCbCrColor"/>). <see cref="BatchedTransformer.Transform"/> works on
/// <see cref="ScoringBatchSize"/> rows per model call and adds:
/// <list type="table">
/// <listheader><term>Column</term><description>Type and content</description></listheader>
/// <item><term>input: ConditionColumnName</term><description><c>Vector&lt;Single, Cc, H, W&gt;</c>: the condition image in [0, 255] (colorization: the gray image)</description></item>
/// <item><term>input: FeatureColumnName (optional)</term><description><c>Vector&lt;Single, C, H, W&gt;</c>: the images in [0, 255] to score</description></item>
/// <item><term>LogLikelihood</term><description><c>Single</c>: log p(x | c) in nats (only with the feature column)</description></item>
/// <item><term>BitsPerDim</term><description><c>Single</c>: −log₂ p(x | c) per original pixel (only with the feature column)</description></item>
/// <item><term>Sample</term><description><c>Vector&lt;Single, C, H, W&gt;</c>: a draw of x given the row's condition (<see cref="Sampling"/>)</description></item>
/// <item><term>Colorized</term><description><c>Vector&lt;Single, 3, H, W&gt;</c>: colorization models only — the condition's Y with the sampled chroma, as RGB</description></item>
/// </list>
/// <see cref="Sample(IReadOnlyList{float[]}, double, int)"/> and <see cref="Colorize(IReadOnlyList{float[]}, double, int)"/>
/// draw for any conditions, temperature and seed. Immutable; saved by <c>mlContext.Model.Save</c> as a manifest plus the
/// weights in safetensors. Dispose it to free the native weights.
/// </summary>
public sealed class ImageConditionalInnTransformer : BatchedTransformer, IDisposable
{
    internal static readonly PersistedModelKind Kind = new("CINNIMAG", "MLNetFlowsImageCinn", typeof(ImageConditionalInnTransformer));

    internal ImageConditionalInnTransformer(ImageConditionalInnNetwork network, string featureColumnName, string conditionColumnName, int scoringBatchSize, ImageConditionalInnSampling sampling, IReadOnlyList<ConditionalInnEpochReport> history)
    {
        Network = network;
        FeatureColumnName = featureColumnName;
        ConditionColumnName = conditionColumnName;
        ScoringBatchSize = scoringBatchSize;
        Sampling = sampling;
        TrainingHistory = history;
    }

    /// <summary>Gets the column of images scored (read when present, for LogLikelihood and BitsPerDim).</summary>
    public string FeatureColumnName { get; }

    /// <summary>Gets the column of condition images.</summary>
    public string ConditionColumnName { get; }

    /// <summary>Gets the number of rows per model call.</summary>
    public int ScoringBatchSize { get; }

    /// <summary>Gets how the Sample and Colorized columns are drawn.</summary>
    public ImageConditionalInnSampling Sampling { get; }

    /// <summary>Gets the per-epoch figures of the training run (empty for a loaded model).</summary>
    public IReadOnlyList<ConditionalInnEpochReport> TrainingHistory { get; }

    /// <summary>Gets the network's hyper-parameters.</summary>
    public ConditionalInnArchitecture Architecture => Network.Architecture;

    /// <summary>Gets the geometry (channels, height, width) of the modelled images.</summary>
    public (int Channels, int Height, int Width) ImageShape => (Network.Channels, Network.Height, Network.Width);

    /// <summary>Gets the channels of the condition images.</summary>
    public int ConditionChannels => Network.ConditionChannels;

    /// <summary>Gets whether this is a colorization model (2 chroma channels given 1 lightness channel), so <see cref="Colorize(IReadOnlyList{float[]}, double, int)"/> applies.</summary>
    public bool IsColorization => Network.IsColorization;

    /// <summary>Gets the bits per pixel value of x the model was trained on (pixels are reduced to them before scoring).</summary>
    public int NumberOfBits => Network.Bits;

    /// <summary>Gets the TorchSharp module (in evaluation mode).</summary>
    public ConditionalInnModel Model => Network.Model;

    internal ImageConditionalInnNetwork Network { get; }

    private protected override PersistedModelKind ModelKind => Kind;

    /// <summary>
    /// One draw of x per condition image (Cc·H·W values in [0, 255] each) at <paramref name="temperature"/>; the latent of
    /// condition i comes from (<paramref name="seed"/>, i), so the same arguments give the same images.
    /// </summary>
    /// <param name="conditions">The condition images.</param>
    /// <param name="temperature">Scale of the latent's standard deviation.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>One C·H·W image per condition, pixel values in [0, 255].</returns>
    public GlowImages Sample(IReadOnlyList<float[]> conditions, double temperature = 1, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        if (conditions.Count == 0)
        {
            throw new ArgumentException("expected at least one condition image", nameof(conditions));
        }

        var dims = Network.ConditionDimensions;
        var flat = new float[conditions.Count * dims];
        for (var i = 0; i < conditions.Count; i++)
        {
            var image = conditions[i] ?? throw new ArgumentNullException(nameof(conditions), $"condition image {i} is null");
            if (image.Length != dims || !image.All(v => v is >= 0 and <= 255))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"condition image {i} must hold {dims} values ({Network.ConditionChannels}×{Network.Height}×{Network.Width}) in [0, 255], got {image.Length} values from {(image.Length > 0 ? image.Min() : 0)} to {(image.Length > 0 ? image.Max() : 0)}"), nameof(conditions));
            }

            image.CopyTo(flat, i * dims);
        }

        var samples = new float[conditions.Count * Network.Dimensions];
        for (var start = 0; start < conditions.Count; start += ScoringBatchSize)
        {
            var count = Math.Min(ScoringBatchSize, conditions.Count - start);
            var seeds = Enumerable.Range(start, count).Select(i => SeedSequence.Derive(seed, ImageConditionalInnScoringMapper.SampleStream, i)).ToArray();
            Network.Sample(flat.AsSpan(start * dims, count * dims), count, temperature, seeds, samples.AsSpan(start * Network.Dimensions, count * Network.Dimensions));
        }

        var images = Enumerable.Range(0, conditions.Count).Select(i => samples.AsSpan(i * Network.Dimensions, Network.Dimensions).ToArray()).ToArray();
        return new GlowImages(Network.Channels, Network.Height, Network.Width, images);
    }

    /// <summary>
    /// Colorization models: one colour version of each gray image (H·W lightness values in [0, 255]) — chroma drawn as by
    /// <see cref="Sample(IReadOnlyList{float[]}, double, int)"/>, recombined with the gray image (<see cref="YCbCrColor.ToRgb"/>).
    /// </summary>
    /// <param name="grayImages">The gray images.</param>
    /// <param name="temperature">Scale of the latent's standard deviation.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>One planar RGB image (3·H·W values in [0, 255]) per gray image.</returns>
    /// <exception cref="InvalidOperationException">The model is not a colorization model.</exception>
    public GlowImages Colorize(IReadOnlyList<float[]> grayImages, double temperature = 1, int seed = 0)
    {
        if (!IsColorization)
        {
            throw new InvalidOperationException($"this model generates {Network.Channels} channel(s) given {Network.ConditionChannels}; colorizing needs a colorization model (2 chroma channels given 1 lightness channel)");
        }

        var chroma = Sample(grayImages, temperature, seed);
        var plane = Network.Height * Network.Width;
        var colour = new float[grayImages.Count][];
        for (var i = 0; i < colour.Length; i++)
        {
            colour[i] = new float[3 * plane];
            YCbCrColor.ToRgb(grayImages[i], chroma.Pixels[i], colour[i]);
        }

        return new GlowImages(3, Network.Height, Network.Width, colour);
    }

    /// <summary>
    /// Mean conditional bits/dim (per original pixel) of every row of <paramref name="data"/> given its condition image,
    /// under uniform dequantisation noise drawn from <paramref name="seed"/>.
    /// </summary>
    /// <param name="data">Rows with the feature and condition columns.</param>
    /// <param name="seed">Seed of the dequantisation noise.</param>
    public double EvaluateBitsPerDim(IDataView data, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        var features = ConditionalInnColumns.RequireFeatures(data.Schema, FeatureColumnName, Network.Channels, Network.Height, Network.Width);
        var condition = ImageConditionalInnColumns.RequireCondition(data.Schema, ConditionColumnName, Network.ConditionChannels, Network.Height, Network.Width);
        return Network.DequantizedBitsPerDim(Batches(data, features, condition), seed);
    }

    /// <summary>
    /// Colorization models: the conditional INN paper's colorization figures on every row of <paramref name="data"/> (the
    /// true chroma in the feature column, the gray image in the condition column, e.g. <c>LoadWallpaperPatches</c>): per
    /// row <paramref name="numberOfSamples"/> chroma samples at <paramref name="temperature"/> — sample k of all rows is
    /// <c>Sample(grayImages, temperature, seed + k)</c> — scored by best-of-n, mean-sample and gray-baseline MSE and diversity.
    /// </summary>
    /// <param name="data">Rows with the feature (chroma) and condition (lightness) columns.</param>
    /// <param name="numberOfSamples">Samples n per row (the paper's best-of-8 uses 8).</param>
    /// <param name="temperature">Scale of the latent's standard deviation.</param>
    /// <param name="seed">The seed of sample 0 (sample k uses seed + k).</param>
    /// <exception cref="InvalidOperationException">The model is not a colorization model.</exception>
    public ColorizationMetrics EvaluateColorization(IDataView data, int numberOfSamples = 8, double temperature = 1, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!IsColorization)
        {
            throw new InvalidOperationException($"this model generates {Network.Channels} channel(s) given {Network.ConditionChannels}; colorization metrics need a colorization model (2 chroma channels given 1 lightness channel)");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(numberOfSamples, 1);
        if (!(temperature >= 0) || double.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be a finite number ≥ 0");
        }

        return ColorizationEvaluation.Evaluate(Network, data, FeatureColumnName, ConditionColumnName, ScoringBatchSize, numberOfSamples, temperature, seed);
    }

    /// <summary>Frees the native weights.</summary>
    public void Dispose() => Network.Dispose();

    internal static void Register(ComponentCatalog catalog) => ModelLoaders.Register(catalog, Kind, (reader, _) => Load(reader));

    internal static ImageConditionalInnTransformer Load(ModelReader reader)
    {
        var temperature = reader.GetDouble("samplingTemperature");
        if (!(temperature >= 0) || double.IsInfinity(temperature))
        {
            throw reader.Error($"parameter 'samplingTemperature' must be a finite number ≥ 0, got {temperature}");
        }

        var sampling = new ImageConditionalInnSampling(temperature, reader.GetInt32("samplingSeed"));
        var featureColumnName = reader.GetColumnName("featureColumnName");
        var conditionColumnName = reader.GetColumnName("conditionColumnName");
        var scoringBatchSize = reader.GetInt32("scoringBatchSize", 1, GlowTrainerOptions.MaximumScoringBatchSize);
        return new(ImageConditionalInnNetworkFile.Load(reader, CPU), featureColumnName, conditionColumnName, scoringBatchSize, sampling, []);
    }

    private protected override BatchMapper MakeMapper(DataViewSchema inputSchema) =>
        new ImageConditionalInnScoringMapper(inputSchema, Network, FeatureColumnName, ConditionColumnName, ScoringBatchSize, Sampling.Temperature, Sampling.Seed);

    private protected override void SaveModel(ModelWriter writer)
    {
        writer.Set("featureColumnName", FeatureColumnName);
        writer.Set("conditionColumnName", ConditionColumnName);
        writer.Set("scoringBatchSize", ScoringBatchSize);
        writer.Set("samplingTemperature", Sampling.Temperature);
        writer.Set("samplingSeed", Sampling.Seed);
        ImageConditionalInnNetworkFile.Save(Network, writer);
    }

    private IEnumerable<(float[] Pixels, float[] Conditions, int Count)> Batches(IDataView data, DataViewSchema.Column features, DataViewSchema.Column condition)
    {
        var (dims, conditionDims) = (Network.Dimensions, Network.ConditionDimensions);
        var pixels = new float[ScoringBatchSize * dims];
        var conditions = new float[ScoringBatchSize * conditionDims];
        var count = 0;
        using var cursor = data.GetRowCursor([features, condition]);
        var pixelGetter = cursor.GetGetter<VBuffer<float>>(features);
        var conditionGetter = cursor.GetGetter<VBuffer<float>>(condition);
        VBuffer<float> row = default;
        while (cursor.MoveNext())
        {
            pixelGetter(ref row);
            GlowScoringMapper.CopyPixels(features.Name, row, pixels.AsSpan(count * dims, dims));
            conditionGetter(ref row);
            GlowScoringMapper.CopyPixels(condition.Name, row, conditions.AsSpan(count * conditionDims, conditionDims));
            if (++count == ScoringBatchSize)
            {
                yield return (pixels, conditions, count);
                count = 0;
            }
        }

        if (count > 0)
        {
            yield return (pixels, conditions, count);
        }
    }
}
