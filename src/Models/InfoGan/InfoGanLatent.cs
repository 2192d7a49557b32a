using MLNetFlows.Models.Runtime;
using static TorchSharp.torch;

namespace MLNetFlows.Models.InfoGan;

/// <summary>
/// The generator's input: latent = [noise | one-hot of each categorical code | continuous codes]. The prior draws the
/// noise and the continuous codes uniformly in [−1, 1] (openai/InfoGAN's MNIST run) and each categorical code uniformly
/// over its classes, from libtorch's default generator (seed it for reproducible draws).
/// </summary>
public static class InfoGanLatent
{
    /// <summary>Noise [N, <see cref="InfoGanArchitecture.NoiseSize"/>], uniform in [−1, 1].</summary>
    public static Tensor SampleNoise(InfoGanArchitecture architecture, long count, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return Uniform(count, architecture.NoiseSize, device);
    }

    /// <summary>Codes of <paramref name="count"/> images drawn from the prior.</summary>
    public static InfoGanCodes SampleCodes(InfoGanArchitecture architecture, long count, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        using var scope = NewDisposeScope();
        var categories = architecture.CategoryCounts.Count == 0
            ? zeros([count, 0], ScalarType.Int64, device)
            : stack(architecture.CategoryCounts.Select(k => randint(k, [count], ScalarType.Int64, device)).ToArray(), 1);
        var continuous = Uniform(count, architecture.ContinuousCodes, device);
        return new InfoGanCodes(categories.MoveToOuterDisposeScope(), continuous.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The latent vectors [N, <see cref="InfoGanArchitecture.LatentSize"/>] of <paramref name="noise"/> and
    /// <paramref name="codes"/>; throws an <see cref="ArgumentException"/> when a shape or a class index does not fit.
    /// </summary>
    public static Tensor Compose(InfoGanArchitecture architecture, Tensor noise, InfoGanCodes codes)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(codes);
        var count = noise.size(0);
        Require(noise.dim() == 2 && noise.size(1) == architecture.NoiseSize, $"expected noise [N, {architecture.NoiseSize}], got [{string.Join(", ", noise.shape)}]");
        Require(codes.Categories.dim() == 2 && codes.Categories.size(0) == count && codes.Categories.size(1) == architecture.CategoryCounts.Count,
            $"expected categories [{count}, {architecture.CategoryCounts.Count}], got [{string.Join(", ", codes.Categories.shape)}]");
        Require(codes.Continuous.dim() == 2 && codes.Continuous.size(0) == count && codes.Continuous.size(1) == architecture.ContinuousCodes,
            $"expected continuous codes [{count}, {architecture.ContinuousCodes}], got [{string.Join(", ", codes.Continuous.shape)}]");
        using var scope = NewDisposeScope();
        var parts = new List<Tensor> { noise.to(ScalarType.Float32) };
        for (var i = 0; i < architecture.CategoryCounts.Count; i++)
        {
            var k = architecture.CategoryCounts[i];
            var classes = codes.Categories.select(1, i);
            if (count > 0)
            {
                var low = classes.min().item<long>();
                var high = classes.max().item<long>();
                Require(low >= 0 && high < k, $"categorical code {i} has {k} classes (0 … {k - 1}), got class {(low < 0 ? low : high)}");
            }

            parts.Add(nn.functional.one_hot(classes, k).to(ScalarType.Float32));
        }

        parts.Add(codes.Continuous.to(ScalarType.Float32));
        return cat(parts.ToArray(), 1).MoveToOuterDisposeScope();
    }

    /// <summary>[<paramref name="count"/>, <paramref name="width"/>] uniform in [−1, 1] (cached scalars: see <see cref="Scalars"/>).</summary>
    private static Tensor Uniform(long count, long width, Device? device) =>
        rand([count, width], device: device).mul_(Scalars.Of(2L)).sub_(Scalars.One);

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
