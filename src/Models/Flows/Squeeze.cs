using static TorchSharp.torch;

namespace MLNetFlows.Models.Flows;

/// <summary>
/// Space-to-depth (Dinh et al. 2017): [C, H, W] → [4C, H/2, W/2], each 2×2 patch becoming 4 channels in the order of
/// openai/glow's squeeze2d. A permutation, so log|det| = 0.
/// </summary>
public sealed class Squeeze : InvertibleBlock
{
    private readonly long _channels;
    private readonly long _height;
    private readonly long _width;

    /// <summary>Creates the block for inputs of per-sample shape [C, H, W] with even H and W.</summary>
    public Squeeze(long channels, long height, long width)
        : base(nameof(Squeeze), [channels, height, width], [channels * 4, height / 2, width / 2])
    {
        if (height % 2 != 0 || width % 2 != 0)
        {
            throw new ArgumentException($"squeeze needs even height and width, got {height}×{width}");
        }

        (_channels, _height, _width) = (channels, height, width);
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) ForwardCore(Tensor x, Tensor? condition)
    {
        using var six = x.reshape(-1, _channels, _height / 2, 2, _width / 2, 2);
        using var permuted = six.permute(0, 1, 3, 5, 2, 4);
        return (permuted.reshape(-1, _channels * 4, _height / 2, _width / 2), ZeroLogDet(x));
    }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor LogDet) InverseCore(Tensor y, Tensor? condition)
    {
        using var six = y.reshape(-1, _channels, 2, 2, _height / 2, _width / 2);
        using var permuted = six.permute(0, 1, 4, 2, 5, 3);
        return (permuted.reshape(-1, _channels, _height, _width), ZeroLogDet(y));
    }
}
