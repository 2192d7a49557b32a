namespace MLNetFlows.Transforms.Tests;

/// <summary>The image corpus of Images/ (make_image_corpus.py), copied into this project's output.</summary>
internal static class Corpus
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Images");

    public static string Valid => Path.Combine(Root, "valid");

    public static string Malformed => Path.Combine(Root, "malformed");

    /// <summary>Each malformed file with the substring its error reason must contain (malformed.tsv).</summary>
    public static IReadOnlyList<(string Name, string Reason)> MalformedFiles() =>
        [.. File.ReadLines(Path.Combine(Root, "malformed.tsv"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(fields => (fields[0], fields[1]))];

    /// <summary>The valid files' names.</summary>
    public static IReadOnlyList<string> ValidFiles() => [.. Directory.GetFiles(Valid).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
