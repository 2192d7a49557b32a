namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// The generator of one fuzzed file, from the run's seed and the file's index. <c>new Random(seed + index)</c> repeated
/// itself: .NET's seeded generator (Knuth's subtractive one) turns nearby seeds into nearly equal first draws, so the
/// small draws a mutation makes came out the same for index i and i + 2 096 — a 10 000-file run held 2 096 distinct
/// files. Mixing both numbers through SplitMix64's finalizer gives every index an unrelated seed.
/// </summary>
internal static class FuzzRandom
{
    /// <summary>The generator of file <paramref name="index"/> of the run seeded <paramref name="seed"/>.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="index">The file's index in the run.</param>
    public static Random For(int seed, int index) => new(Seed(seed, index));

    /// <summary>The generator's seed: a hash of <paramref name="seed"/> and <paramref name="index"/>, in [0, int.MaxValue].</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="index">The file's index in the run.</param>
    public static int Seed(int seed, int index)
    {
        var z = ((ulong)(uint)seed << 32) | (uint)index;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z >> 33);
    }
}
