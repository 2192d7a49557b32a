using MLNetFlows.Torch.Imaging;

namespace MLNetFlows.Estimators.Anomaly;

/// <summary>
/// The input-complexity estimate L(x) of Serrà et al. (2020, "Input complexity and out-of-distribution detection with
/// likelihood-based generative models"): the size of the image losslessly compressed as PNG (libpng, level 9), in bits
/// per original pixel. Simple images (flat, few edges) compress well and get high likelihoods from any model; subtracting
/// L(x) from the model's bits/dim corrects for that.
/// </summary>
public static class InputComplexity
{
    /// <summary>PNG bits per dimension of one image given as planar (channel-major) pixel values in [0, 255].</summary>
    public static float BitsPerDim(ReadOnlySpan<float> planarPixels, int channels, int height, int width)
    {
        var count = channels * height * width;
        if (planarPixels.Length != count || channels is not (1 or 3))
        {
            throw new ArgumentException($"expected {count} pixel values of a 1- or 3-channel {height}×{width} image, got {planarPixels.Length} values for {channels} channels");
        }

        var interleaved = new byte[count];
        var plane = height * width;
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < channels; c++)
            {
                interleaved[(p * channels) + c] = (byte)Math.Clamp(MathF.Round(planarPixels[(c * plane) + p]), 0, 255);
            }
        }

        var png = ImageCodec.EncodePng(interleaved, width, height, channels, compressionLevel: 9);
        return png.Length * 8f / count;
    }
}
