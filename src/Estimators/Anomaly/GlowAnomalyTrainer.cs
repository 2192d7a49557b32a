using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Estimators.Glow;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Anomaly;

/// <summary>
/// Trains Glow on normal data and fits the anomaly threshold; reached through
/// <c>mlContext.AnomalyDetection.Trainers.Glow(...)</c>. Evaluate its output with ML.NET's
/// <c>mlContext.AnomalyDetection.Evaluate</c> (label: Single, 1 = anomaly).
/// </summary>
/// <remarks>
/// Trainer characteristics: as <see cref="GlowTrainer"/>; the threshold is the (1 − TargetFalsePositiveRate) quantile
/// of the held-out rows' scores. Output columns: those of <see cref="GlowTransformer"/> plus
/// <c>ComplexityBitsPerDim</c> (Single), <c>Score</c> (Single, higher = more anomalous) and <c>PredictedLabel</c>
/// (Boolean, Score &gt; threshold).
/// </remarks>
public sealed class GlowAnomalyTrainer : IEstimator<GlowAnomalyTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly GlowAnomalyOptions _options;

    internal GlowAnomalyTrainer(IHostEnvironment environment, GlowAnomalyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _options = options;
    }

    /// <summary>Trains on the feature column of <paramref name="input"/> (normal rows) and fits the threshold.</summary>
    /// <param name="input">Training rows.</param>
    public GlowAnomalyTransformer Fit(IDataView input)
    {
        var (network, history, heldOut) = GlowTrainer.TrainNetwork(_environment, _options, input, nameof(GlowAnomalyTrainer));
        using (heldOut)
        {
            var threshold = FitThreshold(network, heldOut);
            using (var channel = _environment.Register(nameof(GlowAnomalyTrainer)).Start("Threshold"))
            {
                channel.Info(MessageSensitivity.None, "{0}", string.Create(CultureInfo.InvariantCulture,
                    $"Glow anomaly threshold {threshold} ({_options.ScoreKind}, target false-positive rate {_options.TargetFalsePositiveRate}, {heldOut.size(0)} held-out rows)"));
            }

            var density = new GlowTransformer(network, _options.FeatureColumnName, _options.OutputLatent, _options.ScoringBatchSize, history);
            return new GlowAnomalyTransformer(density, _options.ScoreKind, threshold);
        }
    }

    /// <summary>The input shape with the density and anomaly columns appended; checks the feature column.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        GlowColumns.RequireFeatures(inputSchema, _options.FeatureColumnName, _options.Channels, _options.ImageHeight, _options.ImageWidth);
        var density = GlowColumns.Density(_options.Levels, (int)_options.Architecture.Dimensions, _options.OutputLatent);
        return SchemaShapes.Append(inputSchema, density.Concat(GlowColumns.Anomaly()));
    }

    /// <summary>The (1 − target rate) quantile of the held-out rows' scores.</summary>
    private float FitThreshold(GlowNetwork network, Tensor heldOut)
    {
        var scores = new List<float>();
        var dims = network.Dimensions;
        var rows = heldOut.size(0);
        for (long start = 0; start < rows; start += _options.ScoringBatchSize)
        {
            var count = (int)Math.Min(_options.ScoringBatchSize, rows - start);
            var pixels = new float[count * dims];
            using (NewDisposeScope())
            {
                var floats = heldOut.narrow(0, start, count).to(ScalarType.Float32).cpu().contiguous();
                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(floats.bytes).CopyTo(pixels);
            }

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
