using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Data;

/// <summary>
/// Image files as CLI input: a folder (PNG and JPEG files below it, in ordinal path order) or a CSV with a header whose
/// first column holds image paths (relative to the CSV's folder, or absolute; <see cref="PathList"/>). Files go through MLNetFlows'
/// <c>LoadImagesSafely</c> → ImageAnalytics' <c>ResizeImages</c> → <c>ConvertToGrayscale</c> →
/// <c>ExtractPixels</c> into <see cref="ImageInput.FeaturesColumn"/>; a file that cannot be loaded is reported by path
/// and reason and skipped, or fails the job, as <see cref="BadImageHandling"/> says.
/// </summary>
internal static class ImageFiles
{
    private const string ImageColumn = "Image";
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>
    /// The files of <paramref name="spec"/> (the first <paramref name="limit"/>, then <paramref name="shard"/>'s part) as
    /// <paramref name="height"/>×<paramref name="width"/> gray pixels. Lazy: images are decoded when the view is read.
    /// </summary>
    public static ImageInput Load(MLContext ml, DataSpec spec, Shard shard, int? limit, BadImageHandling onBadImage, int height, int width)
    {
        var paths = spec.Kind == DataSpecKind.Folder ? FromFolder(spec.Name) : PathList.Read(spec.Name);
        var rows = paths.Take(limit ?? int.MaxValue).Where((_, index) => shard.Contains(index)).Select(p => new PathRow(p)).ToArray();
        var files = ml.Data.LoadFromEnumerable(rows);
        var loading = ml.Transforms.LoadImagesSafely(ImageColumn, imageFolder: null, ImageInput.PathColumn, onBadImage);
        var pipeline = loading
            .Append(ml.Transforms.ResizeImages(ImageColumn, width, height, ImageColumn))
            .Append(ml.Transforms.ConvertToGrayscale(ImageColumn))
            .Append(ml.Transforms.ExtractPixels(ImageInput.FeaturesColumn, ImageColumn, ImagePixelExtractingEstimator.ColorBits.Red));
        return new ImageInput(spec.Text, pipeline.Fit(files).Transform(files), rows.Length, loading.Diagnostics);
    }

    private static string[] FromFolder(string folder)
    {
        string[] files = [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
        return files.Length > 0 ? files : throw new InvalidDataException($"'{folder}' holds no {string.Join(", ", Extensions)} files (subfolders included)");
    }

    /// <summary>One file to load.</summary>
    private sealed class PathRow(string path)
    {
        public string Path { get; } = path;
    }
}
