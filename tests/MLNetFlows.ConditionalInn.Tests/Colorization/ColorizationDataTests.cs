using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.ConditionalInn.Tests.Colorization;

public sealed class ColorizationDataTests
{
    [Fact]
    public void YCbCrRoundTripIsExactUpToRounding()
    {
        var random = new Random(7);
        const int plane = 4096;
        var rgb = Enumerable.Range(0, 3 * plane).Select(_ => (float)(random.NextDouble() * 255)).ToArray();
        var (luma, chroma, back) = (new float[plane], new float[2 * plane], new float[3 * plane]);
        YCbCrColor.FromRgb(rgb, luma, chroma);
        YCbCrColor.ToRgb(luma, chroma, back);
        var worst = rgb.Zip(back, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-3, $"RGB → YCbCr → RGB must be exact up to float rounding, worst error {worst}");
    }

    [Fact]
    public void EveryRgbColourMapsIntoTheByteRangeAndGrayHasNeutralChroma()
    {
        // The 8 corners of the RGB cube bound Y, Cb and Cr (the map is linear).
        var corners = Enumerable.Range(0, 8).Select(c => new[] { (c & 1) * 255f, ((c >> 1) & 1) * 255f, ((c >> 2) & 1) * 255f }).ToArray();
        foreach (var corner in corners)
        {
            var (luma, chroma) = (new float[1], new float[2]);
            YCbCrColor.FromRgb(corner, luma, chroma);
            Assert.All(luma.Concat(chroma), v => Assert.InRange(v, -1e-3f, 255.001f));
        }

        var grayLuma = new float[1];
        var grayChroma = new float[2];
        YCbCrColor.FromRgb([100f, 100f, 100f], grayLuma, grayChroma);
        Assert.Equal(100f, grayLuma[0], 3);
        Assert.Equal(YCbCrColor.NeutralChroma, grayChroma[0], 3);
        Assert.Equal(YCbCrColor.NeutralChroma, grayChroma[1], 3);
        Assert.Equal(100f, Assert.Single(YCbCrColor.Luma([100f, 100f, 100f])), 3);
        var error = Assert.Throws<ArgumentException>(() => YCbCrColor.ToRgb(new float[4], new float[6], new float[12]));
        Assert.Equal("for 4 pixels expected 12 RGB values and 8 chroma values, got 12 and 6", error.Message);
    }

    [Fact]
    public void WallpaperPatchesAreSplitByPhotographWithTheDocumentedShapes()
    {
        var train = ColorPatches.LoadWallpapers(ColorPatchSplit.Train, patchSize: 64);
        var test = ColorPatches.LoadWallpapers(ColorPatchSplit.Test, patchSize: 64);
        Assert.Equal(8, train.Photographs.Count);
        Assert.Equal(["ColorfulCups", "OneStandsOut"], test.Photographs);
        Assert.Empty(train.Photographs.Intersect(test.Photographs));
        // 2560 × 1600 → ÷3 → 853 × 533 → 13 × 8 tiles of 64 pixels per photograph.
        Assert.Equal(8 * 104, train.Count);
        Assert.Equal(2 * 104, test.Count);
        Assert.Equal(3 * 64 * 64, train.GetRgb(0).Length);
        // Rows interleave the photographs: the first rows come from every one of them in turn.
        Assert.Equal(Enumerable.Range(0, 8), Enumerable.Range(0, 8).Select(train.PhotographOf));
        var again = ColorPatches.LoadWallpapers(ColorPatchSplit.Test, patchSize: 64);
        Assert.True(again.GetRgb(101).Span.SequenceEqual(test.GetRgb(101).Span), "cutting is deterministic");
    }

    [Fact]
    public void TheDataViewHoldsLightnessChromaAndColourOfEachPatch()
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadWallpaperPatches(ColorPatchSplit.Test, limit: 5, patchSize: 16);
        Assert.Equal(5, view.GetRowCount());
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 16, 16), view.Schema[ColorPatchColumns.Condition].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2, 16, 16), view.Schema[ColorPatchColumns.Features].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3, 16, 16), view.Schema[ColorPatchColumns.Color].Type);
        var rows = ml.Data.CreateEnumerable<PatchRow>(view, reuseRowObject: false).ToArray();
        Assert.Equal(["ColorfulCups", "OneStandsOut", "ColorfulCups", "OneStandsOut", "ColorfulCups"], rows.Select(r => r.Photograph));
        foreach (var row in rows)
        {
            var back = new float[3 * 256];
            YCbCrColor.ToRgb(row.Condition, row.Features, back);
            Assert.True(row.Color.Zip(back, (a, b) => Math.Abs(a - b)).Max() < 1e-3, "Condition and Features must recombine into Color");
            Assert.All(row.Color, v => Assert.Equal(MathF.Round(v), v));
        }

        Assert.True(rows.Any(r => r.Features.Any(v => Math.Abs(v - YCbCrColor.NeutralChroma) > 5)), "photographs have colour");
    }

    [Fact]
    public void MissingWallpapersAndEmptyFoldersAreReportedWithTheFix()
    {
        using var empty = new TempDirectory();
        var missing = Assert.Throws<DirectoryNotFoundException>(() => ColorPatches.LoadWallpapers(ColorPatchSplit.Train, empty.Path));
        Assert.Equal($"the wallpaper 'BytheWater' is not installed ('{Path.Combine(empty.Path, "BytheWater", "contents", "images")}' does not exist); install the Debian package 'plasma-workspace-wallpapers' (./build.sh does) or pass the directory holding the wallpapers", missing.Message);
        var none = Assert.Throws<InvalidDataException>(() => ColorPatches.LoadFolder(empty.Path, ColorPatchSplit.All));
        Assert.Equal($"the image folder '{empty.Path}' holds no .png, .jpg or .jpeg file", none.Message);
    }

    private sealed class PatchRow
    {
        public float[] Condition { get; set; } = [];

        public float[] Features { get; set; } = [];

        public float[] Color { get; set; } = [];

        public string Photograph { get; set; } = string.Empty;
    }
}
