namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Standard normal latents drawn in C# from one 64-bit seed (SplitMix64 → Box–Muller), so a sample depends only on its
/// seed: not on the batch it is drawn in, the row order, the thread or libtorch's generator. Deterministic on every machine.
/// </summary>
internal static class LatentNoise
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>Fills <paramref name="destination"/> with N(0, <paramref name="scale"/>²) values drawn from <paramref name="seed"/>.</summary>
    public static void Fill(ulong seed, double scale, Span<float> destination)
    {
        var state = seed;
        for (var i = 0; i < destination.Length; i += 2)
        {
            state = unchecked(state + Golden);
            var u1 = ((Mix(state) >> 11) + 1) * (1.0 / 9007199254740993.0); // (0, 1]
            state = unchecked(state + Golden);
            var u2 = (Mix(state) >> 11) * (1.0 / 9007199254740992.0); // [0, 1)
            var radius = Math.Sqrt(-2 * Math.Log(u1)) * scale;
            destination[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
            }
        }
    }

    /// <summary>A 64-bit fingerprint of <paramref name="values"/> (FNV-1a over their bits), to seed a row by its content.</summary>
    public static long Fingerprint(ReadOnlySpan<float> values)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var value in values)
        {
            hash = unchecked((hash ^ BitConverter.SingleToUInt32Bits(value)) * 0x100000001B3UL);
        }

        return unchecked((long)hash);
    }

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
