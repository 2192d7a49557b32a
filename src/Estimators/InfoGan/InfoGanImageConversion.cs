using Microsoft.ML.Data;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>
/// Generated planar pixels in [0, 255] as ImageAnalytics' <see cref="MLImage"/>, through its public
/// <see cref="MLImage.CreateFromPixels"/>: 32-bit RGBA (<see cref="MLPixelFormat.Rgba32"/>), opaque; a gray image gives
/// equal R, G and B, so ConvertToGrayscale and ExtractPixels read back the same levels (rounded to whole numbers).
/// </summary>
internal static class InfoGanImageConversion
{
    /// <summary>A new image (the caller disposes it) of C·H·W planar values, C = 1 (gray) or 3 (RGB).</summary>
    public static MLImage ToMLImage(ReadOnlySpan<float> planar, int channels, int height, int width)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "an MLImage holds gray (1 channel) or RGB (3 channels) images");
        }

        var plane = height * width;
        var rgba = new byte[plane * 4];
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                rgba[(p * 4) + c] = Level(planar[((channels == 1 ? 0 : c) * plane) + p]);
            }

            rgba[(p * 4) + 3] = byte.MaxValue;
        }

        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Rgba32, rgba);
    }

    private static byte Level(float value) => (byte)Math.Clamp(MathF.Round(value), 0, 255);
}
