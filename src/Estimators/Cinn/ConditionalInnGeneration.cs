using MLNetFlows.Models.Glow;
using MLNetFlows.Trainers;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Draws images for many (class, seed) pairs in one model call: image j of a row with seed s decodes the latent of the
/// draw ε·T, ε ~ N(0, I), made in C# (<see cref="LatentNoise"/>) from SplitMix64(options seed, s, j) (<see cref="SeedSequence"/>;
/// z = ε·T, or μ_c + σ_c·ε·T with the class prior),
/// so it depends on nothing else in the batch, is the same on every machine, and libtorch's generator is left alone.
/// Calls are serialised per network by this class (its own lock: the drawing reads the weights only).
/// </summary>
internal static class ConditionalInnGeneration
{
    /// <summary>The <see cref="SeedSequence"/> stream of generated images (distinct from the training streams).</summary>
    private const ulong GenerationStream = 16;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ConditionalInnNetwork, Lock> Locks = [];

    /// <summary>
    /// Writes <paramref name="imagesPerRow"/> images per row (row i: class <paramref name="classes"/>[i], seed
    /// <paramref name="seeds"/>[i]) into <paramref name="pixels"/>: planar values in [0, 255], rows one after another.
    /// </summary>
    public static void Generate(ConditionalInnNetwork network, ReadOnlySpan<int> classes, ReadOnlySpan<int> seeds, int imagesPerRow, double temperature, int seed, Span<float> pixels)
    {
        var rows = classes.Length;
        var dims = network.Dimensions;
        if (seeds.Length != rows || pixels.Length != (long)rows * imagesPerRow * dims)
        {
            throw new ArgumentException($"expected one seed per class and {rows}·{imagesPerRow}·{dims} pixel values, got {seeds.Length} seeds and {pixels.Length} values");
        }

        var latentSize = network.Architecture.Dimensions;
        var noise = new float[rows * imagesPerRow * latentSize];
        var labels = new long[rows * imagesPerRow];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < imagesPerRow; j++)
            {
                var image = (i * imagesPerRow) + j;
                labels[image] = classes[i];
                var rowSeed = SeedSequence.Derive(seed, GenerationStream, ((long)seeds[i] << 16) | (long)j);
                LatentNoise.Fill(rowSeed, temperature, noise.AsSpan(image * (int)latentSize, (int)latentSize));
            }
        }

        lock (Locks.GetValue(network, _ => new Lock()))
        {
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            var condition = tensor(labels).to(network.Device);
            var z = network.Model.FromStandardLatent(tensor(noise, [labels.Length, latentSize]).to(network.Device), condition);
            var output = network.Model.Decode(z, condition);
            GlowInput.ToPixels(output, network.Bits, network.Height, network.Width).cpu().reshape(-1).data<float>().CopyTo(pixels);
        }
    }
}
