using System.Globalization;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Bench.Cinn;

/// <summary>
/// The colorization figures at one temperature, on the chroma scaled to [0, 1] (value / 255): the paper's best-of-K MSE
/// (per patch the lowest MSE of K samples to the truth, averaged over patches), the MSE of the mean of the K samples, the
/// gray baseline's MSE (every chroma value 127.5) and the diversity (per pixel the variance of the K samples, averaged).
/// </summary>
/// <param name="Temperature">The sampling temperature.</param>
/// <param name="Samples">K.</param>
/// <param name="BestOfKMse">Mean over patches of the lowest per-sample MSE.</param>
/// <param name="MeanSampleMse">MSE of the per-pixel mean of the K samples.</param>
/// <param name="GrayMse">MSE of zero chroma.</param>
/// <param name="Diversity">Chroma variance across the K samples.</param>
internal sealed record ColorizationScores(double Temperature, int Samples, double BestOfKMse, double MeanSampleMse, double GrayMse, double Diversity)
{
    /// <summary>Scores <paramref name="samples"/>[k][patch] against <paramref name="truth"/>[patch] (chroma values in [0, 255]).</summary>
    public static ColorizationScores Measure(double temperature, float[][] truth, float[][][] samples)
    {
        double best = 0, mean = 0, gray = 0, diversity = 0;
        var k = samples.Length;
        for (var i = 0; i < truth.Length; i++)
        {
            var values = truth[i].Length;
            var perSample = new double[k];
            double meanError = 0, grayError = 0, variance = 0;
            for (var v = 0; v < values; v++)
            {
                var target = truth[i][v] / 255.0;
                double sum = 0, squares = 0;
                for (var s = 0; s < k; s++)
                {
                    var value = samples[s][i][v] / 255.0;
                    perSample[s] += (value - target) * (value - target);
                    sum += value;
                    squares += value * value;
                }

                var average = sum / k;
                meanError += (average - target) * (average - target);
                grayError += ((YCbCrColor.NeutralChroma / 255.0) - target) * ((YCbCrColor.NeutralChroma / 255.0) - target);
                variance += (squares / k) - (average * average);
            }

            best += perSample.Min() / values;
            mean += meanError / values;
            gray += grayError / values;
            diversity += variance / values;
        }

        var n = truth.Length;
        return new ColorizationScores(temperature, k, best / n, mean / n, gray / n, diversity / n);
    }

    /// <summary>One line for the log.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"T = {Temperature}: best-of-{Samples} MSE {BestOfKMse:E3}, mean-of-{Samples} MSE {MeanSampleMse:E3}, gray MSE {GrayMse:E3}, diversity {Diversity:E3} (chroma in [0, 1])");
}
