using System.Globalization;

namespace MLNetFlows.Cli.Data;

/// <summary>
/// Part <see cref="Index"/> of <see cref="Count"/> of an input (<c>--shard i/N</c>, 0-based): row r belongs to shard
/// r mod N, so N machines (Kubernetes Indexed Jobs, Slurm arrays) split one input without coordination.
/// </summary>
internal readonly record struct Shard(int Index, int Count)
{
    public static Shard All { get; } = new(0, 1);

    /// <summary>Parses <c>i/N</c>; null or empty is the whole input.</summary>
    /// <exception cref="FormatException">Not two non-negative integers with i &lt; N; the message shows the form.</exception>
    public static Shard Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return All;
        }

        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index < count)
        {
            return new Shard(index, count);
        }

        throw new FormatException($"--shard must be i/N with 0 ≤ i < N (e.g. 0/4), got '{text}'");
    }

    public bool Contains(long row) => row % Count == Index;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
