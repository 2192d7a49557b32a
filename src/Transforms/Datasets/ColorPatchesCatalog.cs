using Microsoft.ML;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows;

/// <summary>
/// The colour patch data sets of <c>mlContext.Data</c> for colorization: photographs cut into square patches
/// (<see cref="ColorPatches"/>) as <see cref="IDataView"/>s with the columns of <see cref="ColorPatchColumns"/>
/// (<c>Condition</c> = lightness Y, <c>Features</c> = chroma Cb, Cr, <c>Color</c> = RGB, <c>Photograph</c>).
/// The split is by photograph, so test patches come from unseen scenes; rows interleave the photographs.
/// </summary>
public static class ColorPatchesCatalog
{
    /// <summary>
    /// Loads the patches of the photographs among the wallpapers of the Debian package <c>plasma-workspace-wallpapers</c>
    /// (<see cref="ColorPatches.WallpaperPhotographs"/>; 32 × 32 patches by default, 3 328 training and 832 test patches).
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="split">Training, test (held-out photographs) or all.</param>
    /// <param name="limit">How many rows to keep, from the first; null for all.</param>
    /// <param name="directory">The wallpaper directory; null for <see cref="ColorPatches.DefaultWallpaperDirectory"/>.</param>
    /// <param name="patchSize">Patch side in pixels.</param>
    /// <exception cref="DirectoryNotFoundException">The package is not installed: the message names it.</exception>
    /// <exception cref="InvalidDataException">A photograph cannot be decoded.</exception>
    public static IDataView LoadWallpaperPatches(this DataOperationsCatalog catalog, ColorPatchSplit split, int? limit = null, string? directory = null, int patchSize = ColorPatches.DefaultPatchSize)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        CheckLimit(limit);
        var patches = ColorPatches.LoadWallpapers(split, directory, patchSize);
        return new ColorPatchView(patches, Math.Min(patches.Count, limit ?? int.MaxValue));
    }

    /// <summary>Loads the patches of the PNG and JPEG photographs in <paramref name="folder"/>.</summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="folder">The folder of colour photographs.</param>
    /// <param name="split">Training, test (held-out photographs) or all.</param>
    /// <param name="limit">How many rows to keep, from the first; null for all.</param>
    /// <param name="patchSize">Patch side in pixels.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder holds no image, or a file cannot be decoded.</exception>
    public static IDataView LoadColorPatches(this DataOperationsCatalog catalog, string folder, ColorPatchSplit split = ColorPatchSplit.All, int? limit = null, int patchSize = ColorPatches.DefaultPatchSize)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        CheckLimit(limit);
        var patches = ColorPatches.LoadFolder(folder, split, patchSize);
        return new ColorPatchView(patches, Math.Min(patches.Count, limit ?? int.MaxValue));
    }

    private static void CheckLimit(int? limit)
    {
        if (limit is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"expected a limit of at least 1 row (or null for all rows), got {limit}");
        }
    }
}
