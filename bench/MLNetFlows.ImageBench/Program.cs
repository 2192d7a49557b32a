using System.Diagnostics;
using System.Globalization;
using MLNetFlows;
using MLNetFlows.Data;
using MLNetFlows.ImageBench;
using MLNetFlows.Transforms.Image;

// Image pipeline benchmark (not a test): LoadImages + ResizeImages + ExtractPixels throughput on generated files,
// decoding on the cursor thread vs on all cores, and the per-row cost of a cursor over an in-memory view.
// Run: dotnet run -c Release --project bench/MLNetFlows.ImageBench
var ml = new MLContext(seed: 1);
ml.Log += (_, e) => { if (e.Kind >= ChannelMessageKind.Warning) { Console.Error.WriteLine(e.Message); } };
string root = Path.Combine(Path.GetTempPath(), "mlnetflows-imagebench-" + Guid.NewGuid().ToString("N"));
string pngFolder = Directory.CreateDirectory(Path.Combine(root, "png")).FullName;
string jpegFolder = Directory.CreateDirectory(Path.Combine(root, "jpeg")).FullName;
try
{
    var timer = Stopwatch.StartNew();
    string[] pngs = ImageCorpusWriter.WriteFashionMnistPngs(pngFolder, 10_000);
    Console.WriteLine($"wrote {pngs.Length} PNGs 28x28 ({DirectorySize(pngFolder) / 1024} KiB) in {timer.Elapsed.TotalSeconds:F1} s");
    timer.Restart();
    string[] jpegs = ImageCorpusWriter.WriteJpegs(jpegFolder, 1_000, 256);
    Console.WriteLine($"wrote {jpegs.Length} JPEGs 256x256 ({DirectorySize(jpegFolder) / 1024} KiB) with Pillow in {timer.Elapsed.TotalSeconds:F1} s");
    Console.WriteLine($"processors: {Environment.ProcessorCount}");
    Console.WriteLine();

    var rows = new List<string[]>();
    foreach ((string name, string folder, string[] files, int side) in new[] { ("PNG 28x28 gray", pngFolder, pngs, 32), ("JPEG 256x256 RGB", jpegFolder, jpegs, 64) })
    {
        IDataView paths = ml.Data.LoadFromEnumerable(files.Select(f => new PathRow { Path = f }));
        foreach (int threads in new[] { 1, 2 })
        {
            double decodeOnly = Throughput(ml, paths, folder, threads, side, extract: false);
            double pipeline = Throughput(ml, paths, folder, threads, side, extract: true);
            rows.Add([name, $"{threads}", $"{side}x{side}", F(decodeOnly), F(pipeline)]);
        }
    }

    PrintTable(["images", "decode threads", "resize to", "LoadImages img/s", "Load+Resize+Extract img/s"], rows);
    Console.WriteLine();

    IDataView fashion = ml.Data.LoadFashionMnist(train: true);
    double nsPerRow = CursorNanosecondsPerRow(fashion);
    PrintTable(["in-memory view", "rows", "cursor + Pixels getter ns/row"], [["Fashion-MNIST train", $"{fashion.GetRowCount()}", $"{nsPerRow:F1}"]]);
}
finally
{
    Directory.Delete(root, recursive: true);
}

static double Throughput(MLContext ml, IDataView paths, string folder, int threads, int side, bool extract)
{
    var load = ml.Transforms.LoadImages(new ImageLoadingEstimator.Options { OutputColumnName = "Image", InputColumnName = "Path", ImageFolder = folder, MaxDegreeOfParallelism = threads });
    IDataView output = extract
        ? load.Append(ml.Transforms.ResizeImages("Image", side, side)).Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1 / 255f)).Fit(paths).Transform(paths)
        : load.Fit(paths).Transform(paths);
    string column = extract ? "Pixels" : "Image";
    _ = Drain(output, column, limit: 200); // warm-up: JIT, codec library load, file cache
    var samples = new double[3];
    for (int r = 0; r < samples.Length; r++)
    {
        var stopwatch = Stopwatch.StartNew();
        long count = Drain(output, column, long.MaxValue);
        samples[r] = count / stopwatch.Elapsed.TotalSeconds;
    }

    Array.Sort(samples);
    return samples[1];
}

static long Drain(IDataView data, string columnName, long limit)
{
    DataViewSchema.Column column = data.Schema[columnName];
    using DataViewRowCursor cursor = data.GetRowCursor([column]);
    long count = 0;
    if (column.Type is ImageDataViewType)
    {
        ValueGetter<MLImage> get = cursor.GetGetter<MLImage>(column);
        MLImage image = null!;
        while (count < limit && cursor.MoveNext())
        {
            get(ref image);
            count += image is null ? throw new InvalidOperationException("an image failed to load") : 1;
        }
    }
    else
    {
        ValueGetter<VBuffer<float>> get = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> pixels = default;
        while (count < limit && cursor.MoveNext())
        {
            get(ref pixels);
            count++;
        }
    }

    return count;
}

static double CursorNanosecondsPerRow(IDataView data)
{
    DataViewSchema.Column column = data.Schema["Pixels"];
    var samples = new double[5];
    for (int r = 0; r < samples.Length; r++)
    {
        var stopwatch = Stopwatch.StartNew();
        using DataViewRowCursor cursor = data.GetRowCursor([column]);
        ValueGetter<VBuffer<byte>> get = cursor.GetGetter<VBuffer<byte>>(column);
        VBuffer<byte> pixels = default;
        long rows = 0, checksum = 0;
        while (cursor.MoveNext())
        {
            get(ref pixels);
            checksum += pixels.GetValues()[400];
            rows++;
        }

        samples[r] = stopwatch.Elapsed.TotalNanoseconds / rows;
        GC.KeepAlive(checksum);
    }

    Array.Sort(samples);
    return samples[samples.Length / 2];
}

static long DirectorySize(string folder) => new DirectoryInfo(folder).EnumerateFiles().Sum(f => f.Length);

static string F(double imagesPerSecond) => imagesPerSecond.ToString("N0", CultureInfo.InvariantCulture);

static void PrintTable(string[] header, List<string[]> rows)
{
    int[] widths = [.. header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length)))];
    Console.WriteLine("| " + string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))) + " |");
    Console.WriteLine("| " + string.Join(" | ", widths.Select(w => new string('-', w))) + " |");
    foreach (string[] row in rows)
    {
        Console.WriteLine("| " + string.Join(" | ", row.Select((v, i) => i == 0 ? v.PadRight(widths[i]) : v.PadLeft(widths[i]))) + " |");
    }
}

/// <summary>A row of the path view.</summary>
internal sealed class PathRow
{
    /// <summary>Gets or sets the image file name, relative to the image folder.</summary>
    public string Path { get; set; } = string.Empty;
}
