using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Estimators.Glow;

/// <summary>
/// Generated images as planar pixel values in [0, 255]: Glow's samples, decodings and interpolations, and the samples of
/// the conditional INN and InfoGAN.
/// </summary>
public sealed class GlowImages
{
    internal GlowImages(int channels, int height, int width, float[][] pixels)
    {
        Channels = channels;
        Height = height;
        Width = width;
        Pixels = pixels;
    }

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>One array per image of C·H·W pixel values in [0, 255], channel-major (ExtractPixels' planar order).</summary>
    public IReadOnlyList<float[]> Pixels { get; }

    /// <summary>
    /// Encodes the images as one PNG grid (<see cref="ImageGrid.EncodePng(IReadOnlyList{float[]}, int, int, int, int, int)"/>),
    /// <paramref name="columns"/> per row, separated by <paramref name="gap"/> black pixels.
    /// </summary>
    /// <param name="columns">Images per row of the grid.</param>
    /// <param name="gap">Black pixels between and around the images.</param>
    public byte[] ToPngGrid(int columns = ImageGrid.DefaultColumns, int gap = ImageGrid.DefaultGap) =>
        ImageGrid.EncodePng(Pixels, Channels, Height, Width, columns, gap);
}
