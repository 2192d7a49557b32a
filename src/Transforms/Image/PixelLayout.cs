using MLNetFlows.Data;
using static MLNetFlows.Transforms.Image.ImagePixelExtractingEstimator;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// The channels a pixel vector holds, in order (ML.NET's GetOrder): the selected <see cref="ColorBits"/> laid out
/// in <see cref="ColorsOrder"/>. Planar vectors are [planes, height, width]; interleaved ones [height, width, planes].
/// </summary>
internal sealed class PixelLayout
{
    /// <summary>Index of each channel (alpha, red, green, blue) in the RGBA order used by <see cref="Channels"/>.</summary>
    public const int A = 3;

    private PixelLayout(int[] channels) => Channels = channels;

    /// <summary>Gets, per plane in vector order, the RGBA channel index (0 red, 1 green, 2 blue, 3 alpha).</summary>
    public int[] Channels { get; }

    public int Planes => Channels.Length;

    public bool HasAlpha => Channels.Contains(A);

    public static PixelLayout Create(ColorBits colors, ColorsOrder order)
    {
        Guard.IsTrue(colors != 0 && (colors & ColorBits.All) == colors, "a non-empty combination of ColorBits", colors.ToString(), nameof(colors));
        Guard.IsTrue(Enum.IsDefined(order), "a defined ColorsOrder", order.ToString(), nameof(order));
        var channels = new List<int>(4);
        foreach (char c in order.ToString())
        {
            (ColorBits bit, int channel) = c switch
            {
                'A' => (ColorBits.Alpha, A),
                'R' => (ColorBits.Red, 0),
                'G' => (ColorBits.Green, 1),
                _ => (ColorBits.Blue, 2),
            };
            if ((colors & bit) != 0)
            {
                channels.Add(channel);
            }
        }

        return new PixelLayout([.. channels]);
    }

    /// <summary>The vector dimensions for an image of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public int[] Dimensions(int height, int width, bool interleaved) =>
        interleaved ? [height, width, Planes] : [Planes, height, width];

    /// <summary>
    /// Where each RGBA channel of an <see cref="MLImage"/> of <paramref name="format"/> is stored: an index into the
    /// pixel's bytes, or −1 for alpha of an opaque format (read as 255). Gray images give the same byte for red,
    /// green and blue.
    /// </summary>
    public static int[] SourceOffsets(MLPixelFormat format) => format switch
    {
        MLPixelFormat.Gray8 => [0, 0, 0, -1],
        MLPixelFormat.Rgb24 => [0, 1, 2, -1],
        _ => [0, 1, 2, 3],
    };
}
