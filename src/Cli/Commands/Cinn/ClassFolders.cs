using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNetFlows.Cli.Data;
using MLNetFlows.Transforms.Datasets;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// A labelled image set as a folder with one subfolder per class (the subfolder's name is the class's name; classes are
/// numbered in ordinal order of the names, PNG and JPEG files below each subfolder, in ordinal path order). Rows
/// alternate between the classes (class 0's first image, class 1's first, …), so any prefix (<c>--limit</c>) holds every
/// class. Files go through MLNetFlows' <c>LoadImagesSafely</c> → <c>ResizeImages</c> →
/// <c>ConvertToGrayscale</c> → <c>ExtractPixels</c> into <c>Features</c> (28×28 gray pixels 0–255, the size the
/// conditional INN commands use); <c>Label</c> is a key of the classes whose key names are the subfolder names. An
/// unreadable image is skipped and reported on stderr by path and reason.
/// </summary>
internal static class ClassFolders
{
    private const string ImageColumn = "Image";
    private const string ClassNameColumn = "ClassName";
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>The images of <paramref name="folder"/> (at most <paramref name="limit"/>) with their class as a key.</summary>
    /// <exception cref="CliFailureException">The folder has fewer than two class subfolders, or a class folder holds no images.</exception>
    public static IDataView Load(MLContext ml, string folder, int? limit, string option)
    {
        var classes = Classes(folder, option);
        var rows = Interleave(classes).Take(limit ?? int.MaxValue).ToArray();
        var files = ml.Data.LoadFromEnumerable(rows);
        var names = ml.Data.LoadFromEnumerable(classes.Select(c => new ClassRow(c.Name)));
        var loading = ml.Transforms.LoadImagesSafely(ImageColumn, imageFolder: null, nameof(FileRow.Path), BadImageHandling.Skip);
        ReportFailures(loading.Diagnostics);
        var pipeline = ml.Transforms.Conversion.MapValueToKey(ImageDatasetColumns.Label, ClassNameColumn, keyData: names)
            .Append(loading)
            .Append(ml.Transforms.ResizeImages(ImageColumn, ImageInput.Side, ImageInput.Side, ImageColumn))
            .Append(ml.Transforms.ConvertToGrayscale(ImageColumn))
            .Append(ml.Transforms.ExtractPixels(ImageDatasetColumns.Features, ImageColumn, ImagePixelExtractingEstimator.ColorBits.Red));
        return pipeline.Fit(files).Transform(files);
    }

    private static (string Name, string[] Files)[] Classes(string folder, string option)
    {
        var classes = Directory.EnumerateDirectories(folder)
            .Order(StringComparer.Ordinal)
            .Select(d => (Name: Path.GetFileName(d), Files: ImagesBelow(d)))
            .ToArray();
        if (classes.Length < 2)
        {
            throw new CliFailureException($"{option} '{folder}' has {(classes.Length == 0 ? "no subfolders" : $"only one subfolder ('{classes[0].Name}')")}: a labelled image folder needs one subfolder per class, at least 2, each holding that class's {string.Join("/", Extensions)} images");
        }

        var empty = classes.Where(c => c.Files.Length == 0).Select(c => $"'{c.Name}'").ToArray();
        if (empty.Length > 0)
        {
            throw new CliFailureException($"{option} '{folder}': class folder(s) {string.Join(", ", empty)} hold no {string.Join("/", Extensions)} images; add images or remove the folder(s)");
        }

        return classes;
    }

    private static string[] ImagesBelow(string folder) => [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal)];

    private static IEnumerable<FileRow> Interleave((string Name, string[] Files)[] classes)
    {
        var longest = classes.Max(c => c.Files.Length);
        for (var i = 0; i < longest; i++)
        {
            foreach (var (name, files) in classes)
            {
                if (i < files.Length)
                {
                    yield return new FileRow(files[i], name);
                }
            }
        }
    }

    /// <summary>Writes each unreadable image once to stderr as training meets it (the row is skipped).</summary>
    private static void ReportFailures(ImageLoadingDiagnostics diagnostics)
    {
        var reported = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        diagnostics.ImageLoadFailed += (_, failure) =>
        {
            if (reported.TryAdd(failure.Path, true))
            {
                Console.Error.WriteLine($"skipped unreadable image {failure}");
            }
        };
    }

    /// <summary>One image file and its class name.</summary>
    private sealed class FileRow(string path, string className)
    {
        public string Path { get; } = path;

        public string ClassName { get; } = className;
    }

    /// <summary>One class name, for the key's values.</summary>
    private sealed class ClassRow(string className)
    {
        public string ClassName { get; } = className;
    }
}
