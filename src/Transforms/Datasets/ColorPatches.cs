using System.Globalization;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Image.Decoding;

namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// Colour photographs cut into fixed-size patches for colorization: the photographs of the Debian package
/// <c>plasma-workspace-wallpapers</c> (<see cref="WallpaperPhotographs"/>), or every PNG and JPEG file of a folder.
/// </summary>
/// <remarks>
/// Each photograph is decoded with the project's checked decoder (SkiaSharp after structural checks), downscaled by the
/// integer factor f = max(1, ⌊shorter side / <c>shortSide</c>⌋) by averaging f × f blocks (exact and deterministic,
/// no resampling filter), and tiled into non-overlapping <c>patchSize</c> × <c>patchSize</c> patches, row by row,
/// partial tiles at the right and bottom dropped. The defaults, 32 × 32 patches of photographs brought to a shorter side
/// of about 512 pixels (2560 × 1600 → 853 × 533, 416 patches each), keep training within minutes on two cores while
/// each patch still shows a recognisable piece of the scene (a leaf, a stretch of water or sky) rather than the
/// flat few-pixel areas of a full-resolution tile, and the averaging removes the JPEG block artefacts.
/// The split is by photograph (<see cref="ColorPatchSplit"/>). Alpha is ignored (premultiplied, as decoded).
/// </remarks>
public static class ColorPatches
{
    /// <summary>Where <c>plasma-workspace-wallpapers</c> installs the wallpapers.</summary>
    public const string DefaultWallpaperDirectory = "/usr/share/wallpapers";

    /// <summary>The default patch side, in pixels.</summary>
    public const int DefaultPatchSize = 32;

    /// <summary>The default shorter side the photographs are brought down to (at least), in pixels.</summary>
    public const int DefaultShortSide = 512;

    private const long MaxPixels = 100_000_000;

    /// <summary>
    /// The wallpapers of <c>plasma-workspace-wallpapers</c> (Debian 12: 4:5.27) that are photographs (they carry a
    /// camera's Exif data; the others are drawings and renderings), sorted by name.
    /// </summary>
    public static IReadOnlyList<string> WallpaperPhotographs { get; } =
        ["BytheWater", "ColdRipple", "ColorfulCups", "DarkestHour", "EveningGlow", "FallenLeaf", "Kite", "OneStandsOut", "Path", "summer_1am"];

    /// <summary>Whether the photograph at <paramref name="index"/> (in name order) is held out for testing.</summary>
    /// <param name="index">The photograph's index among the photographs sorted by name.</param>
    public static bool IsHeldOut(int index) => index % 5 == 2;

    /// <summary>Cuts the wallpaper photographs (<see cref="WallpaperPhotographs"/>, each wallpaper's largest image) into patches.</summary>
    /// <param name="split">Which photographs.</param>
    /// <param name="directory">The wallpaper directory; null for <see cref="DefaultWallpaperDirectory"/>.</param>
    /// <param name="patchSize">Patch side (2 to 256).</param>
    /// <param name="shortSide">Shorter side the photographs are downscaled to, at least (≥ the patch size).</param>
    /// <exception cref="DirectoryNotFoundException">The package is not installed: the message names it.</exception>
    /// <exception cref="InvalidDataException">A photograph cannot be decoded.</exception>
    public static ColorPatchSet LoadWallpapers(ColorPatchSplit split, string? directory = null, int patchSize = DefaultPatchSize, int shortSide = DefaultShortSide)
    {
        directory ??= DefaultWallpaperDirectory;
        var files = WallpaperPhotographs.Select(name => (name, LargestImage(directory, name))).ToList();
        return Cut(files, split, patchSize, shortSide);
    }

    /// <summary>Cuts every PNG and JPEG file directly in <paramref name="folder"/> (sorted by name) into patches.</summary>
    /// <param name="folder">The folder of colour photographs.</param>
    /// <param name="split">Which photographs.</param>
    /// <param name="patchSize">Patch side (2 to 256).</param>
    /// <param name="shortSide">Shorter side the photographs are downscaled to, at least (≥ the patch size).</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder holds no image, or a file cannot be decoded.</exception>
    public static ColorPatchSet LoadFolder(string folder, ColorPatchSplit split, int patchSize = DefaultPatchSize, int shortSide = DefaultShortSide)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"the image folder '{folder}' does not exist");
        }

        string[] extensions = [".png", ".jpg", ".jpeg"];
        var files = Directory.EnumerateFiles(folder)
            .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), f))
            .ToList();
        if (files.Count == 0)
        {
            throw new InvalidDataException($"the image folder '{folder}' holds no .png, .jpg or .jpeg file");
        }

        return Cut(files, split, patchSize, shortSide);
    }

    private static ColorPatchSet Cut(List<(string Name, string Path)> files, ColorPatchSplit split, int patchSize, int shortSide)
    {
        if (!Enum.IsDefined(split))
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, "expected Train, Test or All");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(patchSize, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(patchSize, 256);
        ArgumentOutOfRangeException.ThrowIfLessThan(shortSide, patchSize);
        var chosen = files.Where((_, i) => split == ColorPatchSplit.All || IsHeldOut(i) == (split == ColorPatchSplit.Test)).ToList();
        var perPhotograph = chosen.Select(f => Tiles(Downscale(Decode(f.Path), shortSide), patchSize)).ToList();
        var total = perPhotograph.Sum(p => p.Count);
        var values = 3 * patchSize * patchSize;
        var pixels = new byte[(long)total * values];
        var sources = new int[total];
        var row = 0;
        for (var k = 0; row < total; k++)
        {
            for (var photo = 0; photo < perPhotograph.Count; photo++)
            {
                if (k < perPhotograph[photo].Count)
                {
                    perPhotograph[photo][k].CopyTo(pixels.AsSpan(row * values, values));
                    sources[row++] = photo;
                }
            }
        }

        return new ColorPatchSet(patchSize, chosen.Select(f => f.Name).ToList(), pixels, sources);
    }

    private static DecodedImage Decode(string path)
    {
        try
        {
            return ImageDecoder.Decode(File.ReadAllBytes(path), MaxPixels);
        }
        catch (InvalidImageException e)
        {
            throw new InvalidDataException($"'{path}' cannot be decoded: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads one PNG or JPEG photograph as the patches are cut from it: decoded with every check and downscaled by the
    /// integer factor max(1, ⌊shorter side / <paramref name="shortSide"/>⌋) by block averaging.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <param name="shortSide">Shorter side the photograph is downscaled to, at least; <see cref="int.MaxValue"/> keeps its size.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a sound PNG or JPEG image.</exception>
    public static ColorPhotograph ReadPhotograph(string path, int shortSide = DefaultShortSide)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(shortSide, 1);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the image '{path}' does not exist", path);
        }

        return Downscale(Decode(path), shortSide);
    }

    /// <summary>Downscales by block averaging into planar RGB bytes.</summary>
    private static ColorPhotograph Downscale(DecodedImage image, int shortSide)
    {
        var factor = Math.Max(1, Math.Min(image.Width, image.Height) / shortSide);
        var (width, height) = (image.Width / factor, image.Height / factor);
        var (red, blue) = image.Format == MLPixelFormat.Rgba32 ? (0, 2) : (2, 0);
        var plane = width * height;
        var small = new byte[3 * plane];
        var divisor = (double)factor * factor;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double r = 0, g = 0, b = 0;
                for (var dy = 0; dy < factor; dy++)
                {
                    var offset = ((((long)y * factor) + dy) * image.Width + ((long)x * factor)) * 4;
                    for (var dx = 0; dx < factor; dx++, offset += 4)
                    {
                        r += image.Pixels[offset + red];
                        g += image.Pixels[offset + 1];
                        b += image.Pixels[offset + blue];
                    }
                }

                var p = (y * width) + x;
                small[p] = (byte)Math.Round(r / divisor);
                small[plane + p] = (byte)Math.Round(g / divisor);
                small[(2 * plane) + p] = (byte)Math.Round(b / divisor);
            }
        }

        return new ColorPhotograph(width, height, small);
    }

    /// <summary>Cuts the non-overlapping tiles, row by row, each planar RGB bytes.</summary>
    private static List<byte[]> Tiles(ColorPhotograph photograph, int patchSize)
    {
        var (width, height, small) = (photograph.Width, photograph.Height, photograph.Rgb);
        var plane = width * height;
        var tiles = new List<byte[]>();
        var area = patchSize * patchSize;
        for (var top = 0; top + patchSize <= height; top += patchSize)
        {
            for (var left = 0; left + patchSize <= width; left += patchSize)
            {
                var tile = new byte[3 * area];
                for (var c = 0; c < 3; c++)
                {
                    for (var y = 0; y < patchSize; y++)
                    {
                        small.AsSpan((c * plane) + ((top + y) * width) + left, patchSize).CopyTo(tile.AsSpan((c * area) + (y * patchSize), patchSize));
                    }
                }

                tiles.Add(tile);
            }
        }

        return tiles;
    }

    private static string LargestImage(string directory, string wallpaper)
    {
        var images = Path.Combine(directory, wallpaper, "contents", "images");
        if (!Directory.Exists(images))
        {
            throw new DirectoryNotFoundException($"the wallpaper '{wallpaper}' is not installed ('{images}' does not exist); install the Debian package 'plasma-workspace-wallpapers' (./build.sh does) or pass the directory holding the wallpapers");
        }

        return Directory.EnumerateFiles(images)
            .Select(f => (Path: f, Pixels: DeclaredPixels(Path.GetFileNameWithoutExtension(f))))
            .Where(f => f.Pixels > 0)
            .OrderByDescending(f => f.Pixels).ThenBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => f.Path)
            .FirstOrDefault()
            ?? throw new InvalidDataException($"'{images}' holds no image named WIDTHxHEIGHT, as plasma-workspace-wallpapers names them");
    }

    private static long DeclaredPixels(string name)
    {
        var parts = name.Split('x');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) && w >= h
            ? (long)w * h
            : 0;
    }
}
