using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// Haar-wavelet downsampling (Ardizzone et al. 2019, after FrEIA's HaarDownsampling): [C, H, W] → [4C, H/2, W/2].
/// Each 2×2 patch (a b / c d) of each channel becomes its four orthonormal Haar coefficients: the average
/// (a + b + c + d)/2, the horizontal detail (a − b + c − d)/2, the vertical detail (a + b − c − d)/2 and the diagonal
/// detail (a − b − c + d)/2. The output channels are ordered by wavelet: the C averages first, then the C horizontal, the
/// C vertical and the C diagonal details, so a split after the first coupling keeps the coarse image. The 4×4 transform
/// is orthogonal and its own inverse, so log|det| = 0.
/// </summary>
public sealed class HaarDownsampling : InvertibleBlock
{
    private static readonly double[] Transform =
    [
        0.5, 0.5, 0.5, 0.5,
        0.5, -0.5, 0.5, -0.5,
        0.5, 0.5, -0.5, -0.5,
        0.5, -0.5, -0.5, 0.5,
    ];

    private readonly long _channels;
    private readonly long _height;
    private readonly long _width;

    /// <summary>Creates the block for inputs of per-sample shape [C, H, W] with even H and W.</summary>
    public HaarDownsampling(long channels, long height, long width)
        : base(nameof(HaarDownsampling), [channels, height, width], [channels * 4, height / 2, width / 2])
    {
        if (channels < 1 || height < 2 || width < 2 || height % 2 != 0 || width % 2 != 0)
        {
            throw new ArgumentException($"Haar downsampling needs at least one channel and even height and width, got {channels}×{height}×{width}");
        }

        (_channels, _height, _width) = (channels, height, width);
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var (h, w) = (_height / 2, _width / 2);
        var patches = x.reshape(-1, _channels, h, 2, w, 2).permute(0, 3, 5, 1, 2, 4).reshape(-1, 4, _channels * h * w);
        var coefficients = Matrix(x).matmul(patches);
        return (coefficients.reshape(-1, _channels * 4, h, w).MoveToOuterDisposeScope(), ZeroLogDet(x).MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition)
    {
        using var scope = NewDisposeScope();
        var (h, w) = (_height / 2, _width / 2);
        var patches = Matrix(y).matmul(y.reshape(-1, 4, _channels * h * w));
        var x = patches.reshape(-1, 2, 2, _channels, h, w).permute(0, 3, 4, 1, 5, 2).reshape(-1, _channels, _height, _width);
        return (x.MoveToOuterDisposeScope(), ZeroLogDet(y).MoveToOuterDisposeScope());
    }

    private static Tensor Matrix(Tensor like) => tensor(Transform, [4, 4], like.dtype, like.device);
}
