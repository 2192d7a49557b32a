using static MLNetFlows.Models.Runtime.Scalars;
using static TorchSharp.torch;

namespace MLNetFlows.Models.Glow;

/// <summary>
/// From 8-bit pixels to Glow's model input and from log-densities to bits per dimension, with the openai/glow
/// conventions (so figures compare with published ones):
/// <list type="bullet">
/// <item>pixels x ∈ {0..255} are reduced to n_bits (x ← ⌊x / 2^(8 − n_bits)⌋, 2^n_bits bins);</item>
/// <item>model input x̃ = (x + u) / bins − ½ with u ~ U(0, 1) when dequantising (training), u = ½ otherwise;</item>
/// <item>bits/dim = (−log p(x̃) + D·ln bins) / (D_reported·ln 2) where D is the model's dimension count.</item>
/// </list>
/// Images whose sides are not divisible by 2^L are zero-padded at the bottom and right (28×28 → 32×32 for L = 3).
/// The padded pixels are modelled too, and bits/dim are reported per ORIGINAL pixel (D_reported = C·H·W before
/// padding): the whole negative log-likelihood, padding included, is charged to the real pixels, which never flatters
/// the figure. Padding is costly in practice: σ-bounded coupling scales cannot expand single positions, so only the
/// per-position priors can learn that padded pixels are constant; prefer L with sides divisible by 2^L (L = 2 for 28×28).
/// </summary>
public static class GlowInput
{
    /// <summary>The smallest multiple of 2^<paramref name="levels"/> that is at least <paramref name="side"/>.</summary>
    public static int PaddedSide(int side, int levels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(levels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levels, 30);
        var multiple = 1 << levels;
        return (side + multiple - 1) / multiple * multiple;
    }

    /// <summary>Number of bins for <paramref name="bits"/> bits per pixel.</summary>
    public static int Bins(int bits) => bits is >= 1 and <= 8
        ? 1 << bits
        : throw new ArgumentOutOfRangeException(nameof(bits), bits, "n_bits must be between 1 and 8");

    /// <summary>
    /// Builds the model input from pixel values in [0, 255] ([N, C, H, W], any float dtype): reduces to
    /// <paramref name="bits"/>, pads to <paramref name="height"/>×<paramref name="width"/> with black, and dequantises
    /// with uniform noise (or the bin centre when <paramref name="dequantize"/> is false).
    /// </summary>
    public static Tensor Prepare(Tensor pixels, int bits, int height, int width, bool dequantize)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        using var scope = NewDisposeScope();
        var bins = Bins(bits);
        var reduced = bits == 8 ? pixels : pixels.div(Of((long)(1 << (8 - bits)))).floor();
        var padBottom = height - reduced.size(2);
        var padRight = width - reduced.size(3);
        if (padBottom < 0 || padRight < 0)
        {
            throw new ArgumentException($"images of {reduced.size(2)}×{reduced.size(3)} do not fit the model input {height}×{width}");
        }

        var padded = padBottom + padRight > 0 ? nn.functional.pad(reduced, [0, padRight, 0, padBottom]) : reduced;
        var offset = dequantize ? rand_like(padded) : zeros_like(padded).add_(Of(0.5), One);
        return padded.add(offset, One).div(Of((long)bins)).sub_(Of(0.5)).MoveToOuterDisposeScope();
    }

    /// <summary>Pixel values in [0, 255] from model outputs (inverse of <see cref="Prepare"/>, cropped to the original size).</summary>
    public static Tensor ToPixels(Tensor modelOutput, int bits, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        using var scope = NewDisposeScope();
        var bins = Bins(bits);
        var levels = modelOutput.add(Of(0.5), One).mul(Of((long)bins)).floor().clamp(Of(0L), Of((long)(bins - 1)));
        var pixels = levels.mul(Of(255.0 / (bins - 1)));
        return pixels.narrow(2, 0, height).narrow(3, 0, width).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Bits per reported dimension from a per-sample log-density log p(x̃) (natural log).</summary>
    public static Tensor BitsPerDim(Tensor logDensity, long modelDimensions, long reportedDimensions, int bits)
    {
        ArgumentNullException.ThrowIfNull(logDensity);
        var discretization = modelDimensions * Math.Log(Bins(bits));
        using var negative = logDensity.neg().add_(Of(discretization), One);
        return negative.div(Of(reportedDimensions * Math.Log(2)));
    }
}
