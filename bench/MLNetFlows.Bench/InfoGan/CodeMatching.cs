namespace MLNetFlows.Bench.InfoGan;

/// <summary>
/// The best one-to-one matching of categorical codes to classes (the Hungarian problem), solved exactly by dynamic
/// programming over subsets of classes (2^K·K² steps: instant for K ≤ 16), and the accuracy it gives.
/// </summary>
internal static class CodeMatching
{
    /// <summary>Accuracy of <paramref name="codes"/> as predictions of <paramref name="labels"/> under the best one-to-one code → class map.</summary>
    public static (double Accuracy, int[] ClassOfCode) Accuracy(IReadOnlyList<int> codes, IReadOnlyList<int> labels, int classes)
    {
        if (classes > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "the subset dynamic programme handles at most 16 classes");
        }

        var counts = new long[classes, classes];
        for (var i = 0; i < codes.Count; i++)
        {
            counts[codes[i], labels[i]]++;
        }

        // best[mask] = most rows matched when codes 0 … popcount(mask) − 1 take the classes in mask.
        var size = 1 << classes;
        var best = new long[size];
        var choice = new int[size];
        Array.Fill(best, -1);
        best[0] = 0;
        for (var mask = 0; mask < size; mask++)
        {
            if (best[mask] < 0)
            {
                continue;
            }

            var code = System.Numerics.BitOperations.PopCount((uint)mask);
            if (code == classes)
            {
                continue;
            }

            for (var c = 0; c < classes; c++)
            {
                var next = mask | (1 << c);
                if (next != mask && best[mask] + counts[code, c] > best[next])
                {
                    best[next] = best[mask] + counts[code, c];
                    choice[next] = c;
                }
            }
        }

        var map = new int[classes];
        for (int mask = size - 1, code = classes - 1; code >= 0; code--)
        {
            map[code] = choice[mask];
            mask &= ~(1 << choice[mask]);
        }

        return ((double)best[size - 1] / codes.Count, map);
    }
}
