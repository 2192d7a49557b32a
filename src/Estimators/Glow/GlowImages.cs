using MLNetFlows.Torch.Imaging;

namespace MLNetFlows.Estimators.Glow;

/// <summary>Images produced by a Glow model (samples, decodings, interpolations) as pixel values in [0, 255].</summary>
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

    /// <summary>Encodes the images as one PNG grid, <paramref name="columns"/> per row, separated by <paramref name="gap"/> black pixels.</summary>
    public byte[] ToPngGrid(int columns = 8, int gap = 2)
    {
        if (columns < 1 || gap < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), $"expected columns ≥ 1 and gap ≥ 0, got {columns} and {gap}");
        }

        var channels = Channels == 1 ? 1 : 3;
        var cols = Math.Min(columns, Math.Max(Pixels.Count, 1));
        var rows = (Pixels.Count + cols - 1) / cols;
        var gridWidth = (cols * (Width + gap)) + gap;
        var gridHeight = (rows * (Height + gap)) + gap;
        var grid = new byte[gridWidth * gridHeight * channels];
        for (var i = 0; i < Pixels.Count; i++)
        {
            var top = gap + (i / cols * (Height + gap));
            var left = gap + (i % cols * (Width + gap));
            for (var y = 0; y < Height; y++)
            {
                for (var x = 0; x < Width; x++)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        var value = Pixels[i][(c * Height * Width) + (y * Width) + x];
                        grid[((((top + y) * gridWidth) + left + x) * channels) + c] = (byte)Math.Clamp(MathF.Round(value), 0, 255);
                    }
                }
            }
        }

        return ImageCodec.EncodePng(grid, gridWidth, gridHeight, channels);
    }
}
