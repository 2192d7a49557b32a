namespace MLNetFlows.Trainers;

/// <summary>
/// Derives independent, reproducible seeds for each stream of randomness in training (shuffling per epoch, noise per
/// step, validation noise, initialisation) from one user seed, with SplitMix64 (Steele et al. 2014). Re-seeding
/// libtorch's generator from (seed, stream, index) before each use, and shuffling in C# from the same derivation, makes a
/// run resumed from any checkpoint draw exactly what the uninterrupted run drew: no generator state needs saving.
/// </summary>
internal static class SeedSequence
{
    public const ulong ShuffleStream = 1;
    public const ulong StepStream = 2;
    public const ulong ValidationStream = 3;
    public const ulong InitializationStream = 4;

    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The seed of draw <paramref name="index"/> of <paramref name="stream"/> under the user's <paramref name="seed"/>.</summary>
    public static ulong Derive(int seed, ulong stream, long index) =>
        Mix(unchecked(((ulong)seed * Golden) + (stream << 48) + (ulong)index));

    /// <summary>
    /// A permutation of 0 … <paramref name="count"/> − 1 (Fisher–Yates over a SplitMix64 stream started at
    /// <see cref="Derive"/>(seed, stream, index)): the same arguments give the same order on every machine and .NET version.
    /// </summary>
    public static int[] Permutation(int seed, ulong stream, long index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var state = Derive(seed, stream, index);
        for (var i = count - 1; i > 0; i--)
        {
            state = unchecked(state + Golden);
            var j = (int)UniformBelow(Mix(state), (ulong)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, bound) from 64 random bits (Lemire's multiply-shift; the bias is below 2^-32 for any int bound).</summary>
    private static ulong UniformBelow(ulong bits, ulong bound) => (ulong)(((UInt128)bits * bound) >> 64);
}
