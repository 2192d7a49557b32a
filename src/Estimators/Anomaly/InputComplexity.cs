using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Estimators.Anomaly;

/// <summary>
/// The input-complexity estimate L(x) of Serrà et al. (2020, "Input complexity and out-of-distribution detection with
/// likelihood-based generative models"): the size of the image losslessly compressed as PNG (zlib level 9, adaptive row
/// filters, through <see cref="PngEncoding"/>), in bits per original pixel. Simple images (flat, few edges) compress
/// well and get high likelihoods from any model; subtracting L(x) from the model's bits/dim corrects for that.
/// </summary>
public static class InputComplexity
{
    /// <summary>PNG bits per dimension of one image given as planar (channel-major) pixel values in [0, 255].</summary>
    /// <param name="planarPixels">C·H·W pixel values, channel-major.</param>
    /// <param name="channels">1 or 3.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    public static float BitsPerDim(ReadOnlySpan<float> planarPixels, int channels, int height, int width)
    {
        var count = channels * height * width;
        if (planarPixels.Length != count || channels is not (1 or 3))
        {
            throw new ArgumentException($"expected {count} pixel values of a 1- or 3-channel {height}×{width} image, got {planarPixels.Length} values for {channels} channels");
        }

        return PngEncoding.EncodedLengthPlanar(planarPixels, channels, height, width, compressionLevel: 9) * 8f / count;
    }
}
