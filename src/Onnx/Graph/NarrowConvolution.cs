namespace MLNetFlows.Onnx.Graph;

/// <summary>
/// A 3×3 convolution (zero padding 1) with few output channels, rewritten for ONNX Runtime's CPU kernels. With all
/// graph optimisations on, ONNX Runtime runs convolutions in a channel-blocked layout (16 channels per block with
/// AVX-512) and pads a convolution's outputs to whole blocks, so a 128 → 4 convolution (a Glow coupling's last layer at
/// the first level) costs as much as 128 → 16. The same product is computed as a 1×1 convolution to 9·O channels (one
/// group of O per kernel tap: a matrix product, padded much less; its own zero padding of one pixel, without a bias, is
/// the border the 3×3 convolution would pad), whose nine groups are summed at their offsets (Slice, Add) with the bias:
/// mathematically the same convolution, in another summation order (about 20% less kernel time for the bench Glow).
/// </summary>
internal static class NarrowConvolution
{
    /// <summary>The widest output the rewrite is used for (at least one block is wasted below it).</summary>
    public const long MaxOutputChannels = 8;

    /// <summary>
    /// y = W ∗ x + b for a 3×3 weight <paramref name="weight"/> [O, I, 3, 3] (row-major) and bias [O], zero padding 1:
    /// a plain convolution when O exceeds <see cref="MaxOutputChannels"/>, else the rewrite.
    /// </summary>
    public static string Conv3x3(OnnxGraphBuilder graph, string x, double[] weight, double[] bias, long outChannels, long inChannels, string name)
    {
        if (outChannels > MaxOutputChannels)
        {
            return graph.Conv(x, graph.Constant($"{name}_weight", weight, outChannels, inChannels, 3, 3), graph.Constant($"{name}_bias", bias, outChannels), 3, 1);
        }

        // Taps: channel k·O + o of the 1×1 convolution is W[o, :, dy, dx] with k = 3·dy + dx.
        var taps = new double[9 * outChannels * inChannels];
        for (var k = 0; k < 9; k++)
        {
            for (var o = 0; o < outChannels; o++)
            {
                for (var i = 0; i < inChannels; i++)
                {
                    taps[(((k * outChannels) + o) * inChannels) + i] = weight[(((o * inChannels) + i) * 9) + k];
                }
            }
        }

        // A 1×1 convolution with padding 1 and no bias: its border is the zero padding the 3×3 convolution would add.
        var padded = graph.Node("Conv", [x, graph.Constant($"{name}_taps", taps, 9 * outChannels, inChannels, 1, 1)],
            OnnxGraphBuilder.Ints("kernel_shape", 1, 1), OnnxGraphBuilder.Ints("pads", 1, 1, 1, 1));
        string? sum = null;
        for (var k = 0; k < 9; k++)
        {
            var (dy, dx) = (k / 3, k % 3);
            // Output (y, x) takes tap (dy, dx) at input (y + dy − 1, x + dx − 1): rows dy … dy + H − 1 of the padded map.
            var shifted = graph.Node("Slice", [padded, graph.Int64s("starts", k * outChannels, dy, dx), graph.Int64s("ends", (k + 1) * outChannels, End(dy), End(dx)), graph.Int64s("axes", 1, 2, 3)]);
            sum = sum is null ? shifted : graph.Add(sum, shifted);
        }

        return graph.Add(sum!, graph.Constant($"{name}_bias", bias, 1, outChannels, 1, 1));
    }

    /// <summary>The end (exclusive) of the rows or columns at offset <paramref name="offset"/> of a map padded by one on each side: 2 short of its size, counted from its end.</summary>
    private static long End(int offset) => offset == 2 ? long.MaxValue : offset - 2;
}
