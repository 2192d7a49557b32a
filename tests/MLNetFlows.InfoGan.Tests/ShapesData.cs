using static TorchSharp.torch;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>
/// A tiny image set with three obvious classes for training tests: 8×8 gray images of a horizontal bar, a vertical bar
/// or a 3×3 square, each at a random place (seeded), pixel levels 0 or 255.
/// </summary>
internal static class ShapesData
{
    public const int Side = 8;

    /// <summary>Planar pixel values (0 or 255) and the class (0 horizontal bar, 1 vertical bar, 2 square) of <paramref name="count"/> images.</summary>
    public static (float[][] Pixels, int[] Classes) Images(int count, int seed = 7)
    {
        var random = new Random(seed);
        var pixels = new float[count][];
        var classes = new int[count];
        for (var n = 0; n < count; n++)
        {
            var image = new float[Side * Side];
            var kind = n % 3;
            var a = random.Next(1, Side - 3);
            var b = random.Next(1, Side - 3);
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < Side - 2; j++)
                {
                    var (row, column) = kind switch
                    {
                        0 => (a, j + 1),
                        1 => (j + 1, a),
                        _ => (a + i, b + (j % 3)),
                    };
                    image[(row * Side) + column] = 255;
                }
            }

            pixels[n] = image;
            classes[n] = kind;
        }

        return (pixels, classes);
    }

    /// <summary>The images as a UInt8 tensor [N, 1, 8, 8], as the training loop takes them (dispose it).</summary>
    public static Tensor Tensor(int count, int seed = 7)
    {
        var (pixels, _) = Images(count, seed);
        return tensor(pixels.SelectMany(p => p).Select(v => (byte)v).ToArray(), [count, 1, Side, Side]);
    }
}
