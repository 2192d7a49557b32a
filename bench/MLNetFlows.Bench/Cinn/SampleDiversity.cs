using static TorchSharp.torch;

namespace MLNetFlows.Bench.Cinn;

/// <summary>
/// Diversity of a set of images: the mean Euclidean distance between two different images of the set, on pixels scaled
/// to [0, 1] (so 28×28 images lie between 0 and 28). Compared between generated samples of a class and real test images
/// of that class, a ratio near 1 means the samples spread like the data; far below 1 means mode collapse or a cold
/// temperature.
/// </summary>
internal static class SampleDiversity
{
    /// <summary>Mean pairwise distance of the rows of <paramref name="pixels"/> ([N ≥ 2, …] in [0, 255]).</summary>
    public static double MeanPairwiseDistance(Tensor pixels)
    {
        var count = pixels.size(0);
        if (count < 2)
        {
            throw new ArgumentException($"diversity needs at least 2 images, got {count}", nameof(pixels));
        }

        using var scope = NewDisposeScope();
        var flat = (pixels.reshape(count, -1).to(ScalarType.Float64) / 255.0).unsqueeze(0);
        var distances = cdist(flat, flat).squeeze(0);
        // The diagonal is zero, so the sum over all pairs divided by the N·(N − 1) ordered pairs of different images.
        return distances.sum().item<double>() / (count * (count - 1.0));
    }
}
