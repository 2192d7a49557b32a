using MLNetFlows.Data;
using MLNetFlows.Transforms.Text;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Data;

/// <summary>
/// Image files as CLI input: a folder (PNG and JPEG files below it, in ordinal path order) or a CSV with a header whose
/// first column is the image path (relative to the CSV's folder or absolute) and optional second column a 0/1 label.
/// Files go through LoadImages → ResizeImages → ConvertToGrayscale → ExtractPixels into the Features column. Unreadable
/// images are skipped, counted and logged (the diagnostics are returned so the caller can report them).
/// </summary>
internal static class ImageFiles
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    public static (IDataView Data, ImageLoadingDiagnostics Diagnostics) Load(MLContext ml, string spec, Shard shard, int? limit, int height, int width)
    {
        var (paths, labels) = Directory.Exists(spec) ? (FromFolder(spec), null)
            : File.Exists(spec) && spec.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? FromCsv(spec)
            : throw new ArgumentException($"'{spec}' is neither a folder, a .csv file nor a built-in set ({string.Join(", ", ImageSets.BuiltIn)})");
        var rows = Enumerable.Range(0, Math.Min(paths.Length, limit ?? paths.Length)).Where(i => shard.Contains(i)).ToArray();
        var view = new ArrayDataViewBuilder()
            .AddColumn(ImageSets.PathColumn, TextDataViewType.Instance, rows.Select(i => paths[i].AsMemory()).ToArray())
            .AddColumn(ImageSets.LabelColumn, BooleanDataViewType.Instance, rows.Select(i => labels?[i] ?? false).ToArray())
            .GetDataView();
        var loader = ml.Transforms.LoadImages("Image", imageFolder: null, ImageSets.PathColumn).Fit(view);
        var loaded = ml.Data.FilterRowsByMissingValues(loader.Transform(view), "Image");
        var pixels = ml.Transforms.ResizeImages("Image", width, height, "Image")
            .Append(ml.Transforms.ConvertToGrayscale("Image"))
            .Append(ml.Transforms.ExtractPixels(ImageSets.FeaturesColumn, "Image", ImagePixelExtractingEstimator.ColorBits.Red))
            .Fit(loaded);
        return (pixels.Transform(loaded), loader.Diagnostics);
    }

    /// <summary>One line per bad image (path and reason), at most <paramref name="max"/>.</summary>
    public static void Report(ImageLoadingDiagnostics diagnostics, int max = 10)
    {
        if (diagnostics.FailureCount == 0)
        {
            return;
        }

        Console.Error.WriteLine($"skipped {diagnostics.FailureCount} unreadable image(s):");
        foreach (var failure in diagnostics.Failures.Take(max))
        {
            Console.Error.WriteLine($"  {failure.Path}: {failure.Reason}");
        }
    }

    private static string[] FromFolder(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static (string[] Paths, bool[]? Labels) FromCsv(string csv)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(csv))!;
        var header = File.ReadLines(csv).FirstOrDefault() ?? throw new InvalidDataException($"'{csv}' is empty: expected a header line and one image path per line");
        var labelled = header.Split(',').Length >= 2;
        TextLoader.Column[] columns = labelled
            ? [new("Path", DataKind.String, 0), new("Label", DataKind.Single, 1)]
            : [new("Path", DataKind.String, 0)];
        var data = new MLContext(0).Data.LoadFromTextFile(csv, columns, ',', hasHeader: true, allowQuoting: true, trimWhitespace: true);
        var paths = new List<string>();
        var labels = new List<bool>();
        using var cursor = data.GetRowCursor(data.Schema);
        var path = cursor.GetGetter<ReadOnlyMemory<char>>(data.Schema["Path"]);
        var label = labelled ? cursor.GetGetter<float>(data.Schema["Label"]) : null;
        ReadOnlyMemory<char> p = default;
        float l = 0;
        while (cursor.MoveNext())
        {
            path(ref p);
            paths.Add(Path.GetFullPath(p.ToString(), folder));
            if (label is not null)
            {
                label(ref l);
                labels.Add(l != 0);
            }
        }

        return ([.. paths], labelled ? [.. labels] : null);
    }
}
