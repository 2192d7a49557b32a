namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// The colour space of colorization: full-range YCbCr with ITU-R BT.601 weights (JPEG/JFIF's luma), the chroma centred
/// on 127.5 instead of JPEG's 128 so that every RGB colour in [0, 255]³ maps into [0, 255]³:
/// <code>
/// Y  = 0.299 R + 0.587 G + 0.114 B
/// Cb = 127.5 + (B − Y) / 1.772
/// Cr = 127.5 + (R − Y) / 1.402
/// </code>
/// and back R = Y + 1.402 (Cr − 127.5), B = Y + 1.772 (Cb − 127.5), G = (Y − 0.299 R − 0.114 B) / 0.587.
/// </summary>
/// <remarks>
/// Chosen over CIE L*a*b* (the conditional INN paper's space) because it is linear and exactly invertible (the round
/// trip is exact up to floating-point rounding), needs no white point or gamma model of the unknown source photos, and
/// puts the chroma in the same [0, 255] range as pixels, so the chroma channels train with the 8-bit dequantised
/// likelihood and report bits/dim like any image. Y is the lightness the model is conditioned on; Cb = Cr = 127.5 is gray.
/// Planar layout throughout: [channel, row, column], as ImageAnalytics' <c>ExtractPixels</c>.
/// </remarks>
public static class YCbCrColor
{
    /// <summary>The chroma value of a gray pixel (Cb = Cr = 127.5).</summary>
    public const float NeutralChroma = 127.5f;

    private const double Kr = 0.299;
    private const double Kg = 0.587;
    private const double Kb = 0.114;
    private const double CbScale = 2 * (1 - Kb); // 1.772
    private const double CrScale = 2 * (1 - Kr); // 1.402

    /// <summary>Splits planar RGB pixels (3·P values, P = height·width) into the lightness Y (P values) and the chroma Cb, Cr (2·P values).</summary>
    /// <param name="rgb">R plane, G plane, B plane, each of P values in [0, 255].</param>
    /// <param name="luma">Receives Y, P values in [0, 255].</param>
    /// <param name="chroma">Receives the Cb plane then the Cr plane, 2·P values in [0, 255].</param>
    /// <exception cref="ArgumentException">The lengths do not fit one another.</exception>
    public static void FromRgb(ReadOnlySpan<float> rgb, Span<float> luma, Span<float> chroma)
    {
        var plane = luma.Length;
        Require(rgb.Length == 3 * plane && chroma.Length == 2 * plane, plane, rgb.Length, chroma.Length);
        for (var p = 0; p < plane; p++)
        {
            double r = rgb[p], g = rgb[plane + p], b = rgb[(2 * plane) + p];
            var y = (Kr * r) + (Kg * g) + (Kb * b);
            luma[p] = (float)y;
            chroma[p] = (float)(NeutralChroma + ((b - y) / CbScale));
            chroma[plane + p] = (float)(NeutralChroma + ((r - y) / CrScale));
        }
    }

    /// <summary>
    /// Recombines the lightness Y and the chroma Cb, Cr into planar RGB, each value clamped to [0, 255] (sampled chroma may
    /// leave the RGB cube).
    /// </summary>
    /// <param name="luma">Y, P values.</param>
    /// <param name="chroma">The Cb plane then the Cr plane, 2·P values.</param>
    /// <param name="rgb">Receives the R, G and B planes, 3·P values.</param>
    /// <exception cref="ArgumentException">The lengths do not fit one another.</exception>
    public static void ToRgb(ReadOnlySpan<float> luma, ReadOnlySpan<float> chroma, Span<float> rgb)
    {
        var plane = luma.Length;
        Require(rgb.Length == 3 * plane && chroma.Length == 2 * plane, plane, rgb.Length, chroma.Length);
        for (var p = 0; p < plane; p++)
        {
            double y = luma[p], cb = chroma[p] - (double)NeutralChroma, cr = chroma[plane + p] - (double)NeutralChroma;
            var r = y + (CrScale * cr);
            var b = y + (CbScale * cb);
            var g = (y - (Kr * r) - (Kb * b)) / Kg;
            rgb[p] = Clamp(r);
            rgb[plane + p] = Clamp(g);
            rgb[(2 * plane) + p] = Clamp(b);
        }
    }

    /// <summary>The lightness Y of planar RGB pixels (what a gray photograph of the scene holds).</summary>
    /// <param name="rgb">R, G and B planes, 3·P values.</param>
    /// <returns>P values in [0, 255].</returns>
    /// <exception cref="ArgumentException">The length is not a multiple of 3.</exception>
    public static float[] Luma(ReadOnlySpan<float> rgb)
    {
        if (rgb.Length % 3 != 0)
        {
            throw new ArgumentException($"expected planar RGB (3 planes of equal size), got {rgb.Length} values", nameof(rgb));
        }

        var luma = new float[rgb.Length / 3];
        FromRgb(rgb, luma, new float[2 * luma.Length]);
        return luma;
    }

    private static float Clamp(double value) => (float)Math.Clamp(value, 0, 255);

    private static void Require(bool fits, int plane, int rgb, int chroma)
    {
        if (!fits)
        {
            throw new ArgumentException($"for {plane} pixels expected {3 * plane} RGB values and {2 * plane} chroma values, got {rgb} and {chroma}");
        }
    }
}
