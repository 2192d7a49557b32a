using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Trainers;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Computes <see cref="ColorizationMetrics"/>: reads the true chroma and the lightness of every row, draws n chroma samples
/// per row (sample k of row i from the seed of <c>Sample(allGrayImages, temperature, seed + k)</c>'s image i, so the
/// samples scored are exactly the ones <see cref="ImageConditionalInnTransformer.Sample"/> gives), one model call per
/// batch and sample, and accumulates the figures row by row without keeping the samples.
/// </summary>
internal static class ColorizationEvaluation
{
    private const double Neutral = YCbCrColor.NeutralChroma / 255.0;

    public static ColorizationMetrics Evaluate(ImageConditionalInnNetwork network, IDataView data, string featureColumnName, string conditionColumnName,
        int batchSize, int numberOfSamples, double temperature, int seed)
    {
        var features = ConditionalInnColumns.RequireFeatures(data.Schema, featureColumnName, network.Channels, network.Height, network.Width);
        var condition = ImageConditionalInnColumns.RequireCondition(data.Schema, conditionColumnName, network.ConditionChannels, network.Height, network.Width);
        var (dims, conditionDims) = (network.Dimensions, network.ConditionDimensions);
        var truth = new float[batchSize * dims];
        var conditions = new float[batchSize * conditionDims];
        var samples = new float[numberOfSamples][];
        for (var k = 0; k < numberOfSamples; k++)
        {
            samples[k] = new float[batchSize * dims];
        }

        var sums = new Sums();
        long start = 0;
        var count = 0;
        using (var cursor = data.GetRowCursor([features, condition]))
        {
            var truthGetter = cursor.GetGetter<VBuffer<float>>(features);
            var conditionGetter = cursor.GetGetter<VBuffer<float>>(condition);
            VBuffer<float> row = default;
            while (cursor.MoveNext())
            {
                truthGetter(ref row);
                GlowScoringMapper.CopyPixels(features.Name, row, truth.AsSpan(count * dims, dims));
                conditionGetter(ref row);
                GlowScoringMapper.CopyPixels(condition.Name, row, conditions.AsSpan(count * conditionDims, conditionDims));
                if (++count == batchSize)
                {
                    AddBatch(network, truth, conditions, samples, start, count, temperature, seed, sums);
                    (start, count) = (start + count, 0);
                }
            }
        }

        if (count > 0)
        {
            AddBatch(network, truth, conditions, samples, start, count, temperature, seed, sums);
            start += count;
        }

        if (start == 0)
        {
            throw new InvalidDataException("there are no images to evaluate");
        }

        return new ColorizationMetrics(temperature, numberOfSamples, start, sums.Best / start, sums.MeanSample / start, sums.Gray / start, sums.Diversity / start);
    }

    private static void AddBatch(ImageConditionalInnNetwork network, float[] truth, float[] conditions, float[][] samples, long start, int count, double temperature, int seed, Sums sums)
    {
        var dims = network.Dimensions;
        var seeds = new ulong[count];
        for (var k = 0; k < samples.Length; k++)
        {
            for (var i = 0; i < count; i++)
            {
                seeds[i] = SeedSequence.Derive(unchecked(seed + k), ImageConditionalInnScoringMapper.SampleStream, start + i);
            }

            network.Sample(conditions.AsSpan(0, count * network.ConditionDimensions), count, temperature, seeds, samples[k].AsSpan(0, count * dims));
        }

        var perSample = new double[samples.Length];
        for (var i = 0; i < count; i++)
        {
            Array.Clear(perSample);
            double meanError = 0, grayError = 0, variance = 0;
            for (var v = i * dims; v < (i + 1) * dims; v++)
            {
                var target = truth[v] / 255.0;
                double sum = 0, squares = 0;
                for (var k = 0; k < samples.Length; k++)
                {
                    var value = samples[k][v] / 255.0;
                    perSample[k] += (value - target) * (value - target);
                    sum += value;
                    squares += value * value;
                }

                var average = sum / samples.Length;
                meanError += (average - target) * (average - target);
                grayError += (Neutral - target) * (Neutral - target);
                variance += Math.Max(0, (squares / samples.Length) - (average * average));
            }

            sums.Best += perSample.Min() / dims;
            sums.MeanSample += meanError / dims;
            sums.Gray += grayError / dims;
            sums.Diversity += variance / dims;
        }
    }

    /// <summary>Per-image figures summed over the images so far.</summary>
    private sealed class Sums
    {
        public double Best { get; set; }

        public double MeanSample { get; set; }

        public double Gray { get; set; }

        public double Diversity { get; set; }
    }
}
