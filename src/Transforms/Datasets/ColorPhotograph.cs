namespace MLNetFlows.Transforms.Datasets;

/// <summary>A colour photograph as <see cref="ColorPatches"/> reads it: planar RGB bytes (R plane, G plane, B plane), rows top to bottom.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Rgb">3 × <paramref name="Height"/> × <paramref name="Width"/> bytes.</param>
public sealed record ColorPhotograph(int Width, int Height, byte[] Rgb)
{
    /// <summary>The pixels as planar floats in [0, 255], as ImageAnalytics' <c>ExtractPixels</c> gives them.</summary>
    public float[] ToPlanarFloats() => [.. Rgb.Select(b => (float)b)];
}
