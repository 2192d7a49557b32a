using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Estimators.Anomaly;

/// <summary>
/// Trains Glow on normal data and fits the anomaly threshold; reached through
/// <c>mlContext.AnomalyDetection.Trainers.Glow(...)</c>.
/// </summary>
public sealed class GlowAnomalyTrainer : IEstimator<GlowAnomalyTransformer>
{
    private readonly MLContext _context;
    private readonly GlowAnomalyOptions _options;

    internal GlowAnomalyTrainer(MLContext context, GlowAnomalyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _context = context;
        _options = options;
    }

    /// <inheritdoc/>
    public GlowAnomalyTransformer Fit(IDataView input)
    {
        var (network, history, heldOut) = GlowTrainer.TrainNetwork(_context, _options, input);
        using (heldOut)
        {
            var threshold = FitThreshold(network, heldOut);
            _context.WriteLog(ChannelMessageKind.Info, nameof(GlowAnomalyTrainer), $"Glow anomaly threshold {threshold} ({_options.ScoreKind}, target false-positive rate {_options.TargetFalsePositiveRate}, {heldOut.Size(0)} held-out rows)");
            var density = new GlowTransformer(network, _options.FeatureColumnName, _options.OutputLatent, _options.ScoringBatchSize, history);
            return new GlowAnomalyTransformer(density, _options.ScoreKind, threshold);
        }
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        GlowColumns.RequireFeatures(inputSchema, _options.FeatureColumnName, _options.Channels, _options.ImageHeight, _options.ImageWidth);
        return new SchemaShape(inputSchema.Concat(GlowColumns.DensityShape(_options.OutputLatent)).Concat(GlowColumns.AnomalyShape()));
    }

    /// <summary>The (1 − target rate) quantile of the held-out rows' scores.</summary>
    private float FitThreshold(GlowNetwork network, Torch.Tensor heldOut)
    {
        var scores = new List<float>();
        var dims = network.Dimensions;
        for (long start = 0; start < heldOut.Size(0); start += _options.ScoringBatchSize)
        {
            var count = (int)Math.Min(_options.ScoringBatchSize, heldOut.Size(0) - start);
            using var slice = heldOut.Narrow(0, start, count);
            using var floats = slice.To(Torch.DType.Float32);
            var pixels = floats.ToArray<float>();
            var (_, bitsPerDim) = network.ScoreBitsPerDim(pixels, count);
            for (var i = 0; i < count; i++)
            {
                scores.Add(AnomalyScoring.Compute(_options.ScoreKind, bitsPerDim[i], pixels.AsSpan(i * dims, dims), network));
            }
        }

        scores.Sort();
        var index = Math.Clamp((int)Math.Ceiling((1 - _options.TargetFalsePositiveRate) * scores.Count) - 1, 0, scores.Count - 1);
        return scores[index];
    }
}
