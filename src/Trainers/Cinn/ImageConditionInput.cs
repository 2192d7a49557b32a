using MLNetFlows.Models.Runtime;
using static TorchSharp.torch;

namespace MLNetFlows.Trainers.Cinn;

/// <summary>
/// From condition-image pixel values in [0, 255] to what the conditioning network sees: c / 255 − ½ ∈ [−½, ½], padded
/// at the bottom and right with black (−½) to the architecture's input size, as <c>GlowInput</c> pads the images. The
/// same mapping in training and scoring.
/// </summary>
public static class ImageConditionInput
{
    /// <summary>
    /// The network input for condition pixels [N, Cc, h, w] (any dtype; float32 result) padded to
    /// <paramref name="height"/> × <paramref name="width"/>.
    /// </summary>
    /// <param name="pixels">Condition images, values in [0, 255].</param>
    /// <param name="height">The architecture's input height (≥ h).</param>
    /// <param name="width">The architecture's input width (≥ w).</param>
    /// <exception cref="ArgumentException">The images are not 4-D or larger than the input size.</exception>
    public static Tensor Prepare(Tensor pixels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.dim() != 4 || pixels.size(2) > height || pixels.size(3) > width)
        {
            throw new ArgumentException($"condition images must be [N, Cc, h ≤ {height}, w ≤ {width}], got [{string.Join(", ", pixels.shape)}]", nameof(pixels));
        }

        using var scope = NewDisposeScope();
        var (padBottom, padRight) = (height - pixels.size(2), width - pixels.size(3));
        var values = pixels.to(ScalarType.Float32);
        var padded = padBottom + padRight > 0 ? nn.functional.pad(values, [0, padRight, 0, padBottom]) : values.clone();
        return padded.mul_(Scalars.Of(1.0 / 255)).sub_(Scalars.Of(0.5)).MoveToOuterDisposeScope();
    }
}
