using System.Globalization;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Colorization quality of an image-conditioned INN on a set of images with known colour (the conditional INN paper's
/// colorization figures), from <see cref="ImageConditionalInnTransformer.EvaluateColorization"/>. All errors are on the
/// chroma (Cb, Cr) scaled to [0, 1] (value / 255), averaged over the chroma values of an image and then over the images;
/// the lightness is the given condition and adds no error.
/// </summary>
public sealed class ColorizationMetrics
{
    internal ColorizationMetrics(double temperature, int numberOfSamples, long numberOfImages, double bestOfSamples, double meanSample, double gray, double diversity)
    {
        Temperature = temperature;
        NumberOfSamples = numberOfSamples;
        NumberOfImages = numberOfImages;
        BestOfSamplesMeanSquaredError = bestOfSamples;
        MeanSampleMeanSquaredError = meanSample;
        GrayMeanSquaredError = gray;
        Diversity = diversity;
    }

    /// <summary>Gets the sampling temperature of the latent.</summary>
    public double Temperature { get; }

    /// <summary>Gets the number of samples n drawn per image.</summary>
    public int NumberOfSamples { get; }

    /// <summary>Gets the number of images evaluated.</summary>
    public long NumberOfImages { get; }

    /// <summary>Gets the paper's "best of n": per image the lowest mean squared error of its n samples to the true chroma, averaged over the images.</summary>
    public double BestOfSamplesMeanSquaredError { get; }

    /// <summary>Gets the mean squared error of the per-pixel mean of the n samples (a point estimate) to the true chroma.</summary>
    public double MeanSampleMeanSquaredError { get; }

    /// <summary>Gets the mean squared error of the gray baseline (zero chroma: Cb = Cr = 127.5, the gray image itself) to the true chroma.</summary>
    public double GrayMeanSquaredError { get; }

    /// <summary>Gets the diversity: per chroma value the variance of the n samples (divided by n), averaged; 0 when every sample is the same.</summary>
    public double Diversity { get; }

    /// <summary>The figures on one line.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"T = {Temperature}: best-of-{NumberOfSamples} MSE {BestOfSamplesMeanSquaredError:E3}, mean-of-{NumberOfSamples} MSE {MeanSampleMeanSquaredError:E3}, gray MSE {GrayMeanSquaredError:E3}, diversity {Diversity:E3} ({NumberOfImages} images, chroma in [0, 1])");
}
