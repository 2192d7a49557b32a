using Microsoft.ML;
using MLNetFlows.Transforms.Datasets;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Data;

/// <summary>
/// An input the CLI reads, as a lazy data view with columns <see cref="PathColumn"/> (text: the file path, or
/// <c>set#row</c> for a built-in set) and <see cref="FeaturesColumn"/> (<c>Vector&lt;Single, 1, 28, 28&gt;</c>, pixel
/// values 0–255, channel-major).
/// </summary>
/// <param name="Name">The input as the user named it.</param>
/// <param name="Data">The rows.</param>
/// <param name="ExpectedRows">The rows before unreadable images are skipped (exact for built-in sets).</param>
/// <param name="Diagnostics">What loading the image files met, or null for built-in sets.</param>
internal sealed record ImageInput(string Name, IDataView Data, long ExpectedRows, ImageLoadingDiagnostics? Diagnostics)
{
    public const string PathColumn = "Path";
    public const string FeaturesColumn = ImageDatasetColumns.Features;

    /// <summary>The side of the gray images every input is brought to (the built-in sets' size).</summary>
    public const int Side = 28;

    /// <summary>How many bad images are listed by path and reason.</summary>
    private const int MaxListed = 10;

    /// <summary>
    /// Loads checked specs (<see cref="DataSpec.ParseInput"/>): built-in sets, or one folder or CSV file of images.
    /// <paramref name="limit"/> keeps the first rows of each set, <paramref name="shard"/> its part of the rest;
    /// <paramref name="seed"/> seeds the synthetic <c>noise</c> set.
    /// </summary>
    public static ImageInput Load(MLContext ml, IReadOnlyList<DataSpec> specs, Shard shard, int? limit, BadImageHandling onBadImage, int seed = 0)
    {
        if (specs is [{ Kind: not DataSpecKind.BuiltIn } files])
        {
            return ImageFiles.Load(ml, files, shard, limit, onBadImage, Side, Side);
        }

        var data = BuiltInSets.Load(ml, specs, shard, limit, seed);
        return new ImageInput(string.Join(", ", specs.Select(s => s.Text)), data, data.GetRowCount() ?? 0, null);
    }

    /// <summary>Writes the images that could not be loaded, by path and reason, to stderr (nothing when all loaded).</summary>
    public void ReportBadImages()
    {
        var failures = Diagnostics?.Failures ?? [];
        if (failures.Count == 0)
        {
            return;
        }

        Console.Error.WriteLine($"skipped {failures.Count} unreadable image(s) of {Name}:");
        foreach (var failure in failures.Take(MaxListed))
        {
            Console.Error.WriteLine($"  {failure.Path}: {failure.Reason}");
        }

        if (failures.Count > MaxListed)
        {
            Console.Error.WriteLine($"  … and {failures.Count - MaxListed} more");
        }
    }
}
