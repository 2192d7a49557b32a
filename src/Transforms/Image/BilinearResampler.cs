using MLNetFlows.Data;
using static MLNetFlows.Transforms.Image.ImageResizingEstimator;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Bilinear resampling with pixel centres aligned — the filter of OpenCV's INTER_LINEAR and PyTorch's
/// <c>interpolate(mode="bilinear", align_corners=False, antialias=False)</c>: output pixel <c>d</c> samples source
/// coordinate <c>s = s0 + (d + 0.5) · L / D − 0.5</c>, clamped to <c>[0, S − 1]</c>, where <c>[s0, s0 + L)</c> is the
/// source window mapped onto the <c>D</c> output pixels (the whole image for Fill); it blends source pixels
/// <c>⌊s⌋</c> and <c>min(⌊s⌋ + 1, S − 1)</c> with weights <c>1 − (s − ⌊s⌋)</c> and <c>s − ⌊s⌋</c>, horizontally then
/// vertically in single precision, and rounds to the nearest byte. Like those filters it does not low-pass before
/// shrinking, so large reductions alias (Pillow's antialiased resize differs there).
/// </summary>
internal static class BilinearResampler
{
    /// <summary>Resizes <paramref name="source"/> to <paramref name="width"/> × <paramref name="height"/> as <paramref name="kind"/> and <paramref name="anchor"/> say.</summary>
    public static MLImage Resize(MLImage source, int width, int height, ResizingKind kind, Anchor anchor)
    {
        int sw = source.Width, sh = source.Height, channels = source.ChannelCount;
        var output = new byte[width * height * channels];
        if (kind == ResizingKind.IsoPad)
        {
            // The whole image fits; the constrained side fills the output exactly (integer maths: no float truncation).
            bool heightBound = (long)height * sw < (long)width * sh;
            int iw = heightBound ? (int)Math.Max(1, (long)sw * height / sh) : width;
            int ih = heightBound ? height : (int)Math.Max(1, (long)sh * width / sw);
            int ox = (width - iw) / 2, oy = (height - ih) / 2;
            if (source.PixelFormat == MLPixelFormat.Rgba32)
            {
                for (int i = 3; i < output.Length; i += 4)
                {
                    output[i] = 255;
                }
            }

            Resample(source, output, width, ox, oy, Axis(iw, sw, 0, sw), Axis(ih, sh, 0, sh));
        }
        else if (kind == ResizingKind.IsoCrop)
        {
            bool heightCropped = (long)height * sw < (long)width * sh;
            double lw = heightCropped ? sw : (double)width * sh / height;
            double lh = heightCropped ? (double)height * sw / width : sh;
            double x0 = anchor switch { Anchor.Left => 0, Anchor.Right => sw - lw, _ => (sw - lw) / 2 };
            double y0 = anchor switch { Anchor.Top => 0, Anchor.Bottom => sh - lh, _ => (sh - lh) / 2 };
            Resample(source, output, width, 0, 0, Axis(width, sw, x0, lw), Axis(height, sh, y0, lh));
        }
        else
        {
            Resample(source, output, width, 0, 0, Axis(width, sw, 0, sw), Axis(height, sh, 0, sh));
        }

        return MLImage.TakeOwnership(width, height, source.PixelFormat, output);
    }

    /// <summary>Per output index: the two source indices and the weight of the second.</summary>
    private static (int[] Lo, int[] Hi, float[] W) Axis(int count, int sourceSize, double start, double length)
    {
        var lo = new int[count];
        var hi = new int[count];
        var w = new float[count];
        double step = length / count;
        for (int d = 0; d < count; d++)
        {
            double s = Math.Clamp(start + ((d + 0.5) * step) - 0.5, 0, sourceSize - 1);
            int i = (int)Math.Floor(s);
            lo[d] = i;
            hi[d] = Math.Min(i + 1, sourceSize - 1);
            w[d] = (float)(s - i);
        }

        return (lo, hi, w);
    }

    private static void Resample(MLImage source, byte[] output, int outputWidth, int ox, int oy, (int[] Lo, int[] Hi, float[] W) xs, (int[] Lo, int[] Hi, float[] W) ys)
    {
        ReadOnlySpan<byte> src = source.Pixels;
        int c = source.ChannelCount, srcRow = source.Width * c;
        for (int y = 0; y < ys.Lo.Length; y++)
        {
            ReadOnlySpan<byte> top = src.Slice(ys.Lo[y] * srcRow, srcRow);
            ReadOnlySpan<byte> bottom = src.Slice(ys.Hi[y] * srcRow, srcRow);
            float wy = ys.W[y];
            int dst = (((oy + y) * outputWidth) + ox) * c;
            for (int x = 0; x < xs.Lo.Length; x++)
            {
                int l = xs.Lo[x] * c, r = xs.Hi[x] * c;
                float wx = xs.W[x];
                for (int k = 0; k < c; k++)
                {
                    float t = top[l + k] + ((top[r + k] - top[l + k]) * wx);
                    float b = bottom[l + k] + ((bottom[r + k] - bottom[l + k]) * wx);
                    output[dst++] = (byte)(t + ((b - t) * wy) + 0.5f);
                }
            }
        }
    }
}
