namespace MLNetFlows.Trainers;

/// <summary>
/// Derives independent, reproducible seeds for each stream of randomness in training (shuffling per epoch, noise per
/// step, validation noise) from one user seed, with SplitMix64. Re-seeding libtorch from (seed, stream, index) before
/// each use makes a run resumed from any checkpoint draw exactly what the uninterrupted run drew.
/// </summary>
internal static class SeedSequence
{
    public const ulong ShuffleStream = 1;
    public const ulong StepStream = 2;
    public const ulong ValidationStream = 3;
    public const ulong InitializationStream = 4;

    public static ulong Derive(int seed, ulong stream, long index)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (stream << 48) + (ulong)index);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
