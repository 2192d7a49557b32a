using Microsoft.ML;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.ConditionalInn.Tests.Colorization;

/// <summary>
/// <see cref="ImageConditionalInnTransformer.EvaluateColorization"/> on a tiny trained colorization model: the figures
/// are those of the samples <c>Sample</c> draws, recomputed here from them directly.
/// </summary>
public sealed class ColorizationMetricsTests
{
    // 20 rows with a scoring batch of 8: the last batch is partial, so per-row seeds must follow the global row index.
    private const int Rows = 20;
    private const int Samples = 4;

    [Fact]
    public void FiguresAreThoseOfTheSamplesTheModelDraws()
    {
        var ml = new MLContext(seed: 1);
        var rows = ColorizationRows.Load(Rows, skip: 40);
        using var model = ml.Transforms.ImageConditionalInn(ColorizationRows.Options(epochs: 2)).Fit(ColorizationRows.View(ml, 32));
        var metrics = model.EvaluateColorization(ml.Data.LoadFromEnumerable(rows), Samples, temperature: 1, seed: 5);

        var gray = rows.Select(r => r.Condition).ToArray();
        var perSample = new double[Samples][];
        var mean = new double[Rows][];
        for (var k = 0; k < Samples; k++)
        {
            var drawn = model.Sample(gray, 1, 5 + k).Pixels;
            perSample[k] = [.. rows.Select((r, i) => Mse(drawn[i], r.Features))];
            for (var i = 0; i < Rows; i++)
            {
                mean[i] ??= new double[drawn[i].Length];
                for (var v = 0; v < drawn[i].Length; v++)
                {
                    mean[i][v] += drawn[i][v] / (double)Samples;
                }
            }
        }

        var best = Enumerable.Range(0, Rows).Average(i => perSample.Min(s => s[i]));
        Assert.Equal(best, metrics.BestOfSamplesMeanSquaredError, 9);
        foreach (var sample in perSample)
        {
            Assert.True(metrics.BestOfSamplesMeanSquaredError <= sample.Average(), $"best-of-{Samples} {metrics.BestOfSamplesMeanSquaredError} must not exceed a single sample's MSE {sample.Average()}");
        }

        Assert.True(metrics.BestOfSamplesMeanSquaredError < perSample.Min(s => s.Average()), "the best per image must beat the best single sample set on some image");
        Assert.Equal(rows.Select((r, i) => Mse(mean[i].Select(v => (float)v).ToArray(), r.Features)).Average(), metrics.MeanSampleMeanSquaredError, 6);

        // Bias-variance: the average of the samples' MSEs is the mean sample's MSE plus the variance across the samples.
        var averageSampleMse = perSample.Average(s => s.Average());
        Assert.Equal(averageSampleMse, metrics.MeanSampleMeanSquaredError + metrics.Diversity, 6);
        Assert.True(metrics.Diversity > 0);

        var grayMse = rows.Average(r => r.Features.Average(c => Math.Pow((c - YCbCrColor.NeutralChroma) / 255.0, 2)));
        Assert.Equal(grayMse, metrics.GrayMeanSquaredError, 9);
        Assert.Equal((1.0, Samples, (long)Rows), (metrics.Temperature, metrics.NumberOfSamples, metrics.NumberOfImages));
    }

    [Fact]
    public void SameSeedGivesTheSameFiguresAndTemperatureZeroHasNoDiversity()
    {
        var ml = new MLContext(seed: 1);
        var data = ColorizationRows.View(ml, Rows, skip: 40);
        using var model = ml.Transforms.ImageConditionalInn(ColorizationRows.Options()).Fit(ColorizationRows.View(ml, 16));
        var first = model.EvaluateColorization(data, Samples, 0.8, seed: 2);
        var again = model.EvaluateColorization(data, Samples, 0.8, seed: 2);
        var other = model.EvaluateColorization(data, Samples, 0.8, seed: 3);
        Assert.Equal(first.ToString(), again.ToString());
        Assert.Equal((first.BestOfSamplesMeanSquaredError, first.MeanSampleMeanSquaredError, first.Diversity), (again.BestOfSamplesMeanSquaredError, again.MeanSampleMeanSquaredError, again.Diversity));
        Assert.NotEqual(first.BestOfSamplesMeanSquaredError, other.BestOfSamplesMeanSquaredError);
        Assert.Equal(first.GrayMeanSquaredError, other.GrayMeanSquaredError);

        var cold = model.EvaluateColorization(data, Samples, 0, seed: 2);
        Assert.Equal(0, cold.Diversity);
        Assert.Equal(cold.MeanSampleMeanSquaredError, cold.BestOfSamplesMeanSquaredError, 12);

        Assert.Throws<ArgumentOutOfRangeException>(() => model.EvaluateColorization(data, numberOfSamples: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.EvaluateColorization(data, temperature: double.NaN));
        var empty = Assert.Throws<InvalidDataException>(() => model.EvaluateColorization(ColorizationRows.View(ml, 0)));
        Assert.Equal("there are no images to evaluate", empty.Message);
    }

    [Fact]
    public void EvaluatingLeaksNoTensors()
    {
        var ml = new MLContext(seed: 1);
        using var model = ml.Transforms.ImageConditionalInn(ColorizationRows.Options()).Fit(ColorizationRows.View(ml, 16));
        using var leaks = new LeakCheck();
        _ = model.EvaluateColorization(ColorizationRows.View(ml, 10), 2, 1, seed: 1);
    }

    private static double Mse(float[] sample, float[] truth) => sample.Zip(truth, (s, t) => Math.Pow((s - t) / 255.0, 2)).Average();
}
