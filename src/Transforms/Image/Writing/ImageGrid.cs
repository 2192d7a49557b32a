using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Lays images out as one PNG grid (samples, reconstructions, interpolations, a data set's first rows): images of
/// planar float pixels in [0, 255] ([channel, row, column], as ImageAnalytics' <c>ExtractPixels</c> and the built-in
/// data sets give them), <c>columns</c> per row, separated and framed by <c>gap</c> black pixels.
/// </summary>
public static class ImageGrid
{
    /// <summary>Images per grid row unless told.</summary>
    public const int DefaultColumns = 8;

    /// <summary>Black pixels between and around images unless told.</summary>
    public const int DefaultGap = 2;

    /// <summary>Encodes images as one PNG grid.</summary>
    /// <param name="planarImages">One array of channels × height × width values per image, each rounded and clamped to [0, 255].</param>
    /// <param name="channels">1 gray, 3 RGB or 4 RGBA.</param>
    /// <param name="height">Rows of each image.</param>
    /// <param name="width">Pixels per row of each image.</param>
    /// <param name="columns">Images per grid row (at least 1).</param>
    /// <param name="gap">Black pixels between and around images (at least 0).</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentException">No image, an image of another size, or a bad layout.</exception>
    public static byte[] EncodePng(IReadOnlyList<float[]> planarImages, int channels, int height, int width, int columns = DefaultColumns, int gap = DefaultGap)
    {
        ArgumentNullException.ThrowIfNull(planarImages);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(gap);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (planarImages.Count == 0)
        {
            throw new ArgumentException("expected at least one image for the grid, got none", nameof(planarImages));
        }

        int cols = Math.Min(columns, planarImages.Count), rows = (planarImages.Count + cols - 1) / cols;
        long gridWidth = ((long)cols * (width + gap)) + gap, gridHeight = ((long)rows * (height + gap)) + gap;
        if (gridWidth > Decoding.ImageSizeLimit.MaxSide || gridHeight > Decoding.ImageSizeLimit.MaxSide)
        {
            throw new ArgumentException($"a grid of {planarImages.Count} images of {width}x{height} in {cols} columns would be {gridWidth}x{gridHeight} pixels, over {Decoding.ImageSizeLimit.MaxSide} per side: use fewer images or columns", nameof(planarImages));
        }

        int plane = height * width;
        var grid = new byte[gridWidth * gridHeight * channels];
        if (channels == 4)
        {
            for (int i = 3; i < grid.Length; i += 4)
            {
                grid[i] = 255; // opaque black gaps
            }
        }

        for (int n = 0; n < planarImages.Count; n++)
        {
            float[] image = planarImages[n];
            if (image is null || image.Length != plane * channels)
            {
                throw new ArgumentException($"image {n} has {image?.Length ?? 0} values, expected {plane * channels} ({channels}x{height}x{width})", nameof(planarImages));
            }

            long top = gap + (n / cols * (long)(height + gap)), left = gap + (n % cols * (long)(width + gap));
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    long pixel = (((top + y) * gridWidth) + left + x) * channels;
                    for (int c = 0; c < channels; c++)
                    {
                        grid[pixel + c] = PngEncoding.ToByte(image[(c * plane) + (y * width) + x]);
                    }
                }
            }
        }

        return PngEncoding.Encode(grid, (int)gridWidth, (int)gridHeight, channels);
    }

    /// <summary>Encodes the first images of a pixel column as one PNG grid.</summary>
    /// <param name="data">The data.</param>
    /// <param name="columnName">A <c>Vector&lt;Single, C, H, W&gt;</c> column with C of 1, 3 or 4 (the layout of <c>ExtractPixels</c> and the built-in data sets).</param>
    /// <param name="maxImages">How many rows to draw, from the first.</param>
    /// <param name="columns">Images per grid row.</param>
    /// <param name="gap">Black pixels between and around images.</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or not such a vector.</exception>
    public static byte[] EncodePng(IDataView data, string columnName, int maxImages = 64, int columns = DefaultColumns, int gap = DefaultGap)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxImages, 1);
        DataViewSchema.Column column = data.Schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentOutOfRangeException(nameof(columnName), $"Could not find input column '{columnName}'");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType, Dimensions: [1 or 3 or 4, > 0, > 0] } type || type.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(nameof(columnName), $"Schema mismatch for input column '{columnName}': expected Vector<Single, C, H, W> with C of 1, 3 or 4 (as ExtractPixels gives), got {column.Type}");
        }

        var images = new List<float[]>();
        using DataViewRowCursor cursor = data.GetRowCursor([column]);
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (images.Count < maxImages && cursor.MoveNext())
        {
            getter(ref value);
            images.Add(value.DenseValues().ToArray());
        }

        return EncodePng(images, type.Dimensions[0], type.Dimensions[1], type.Dimensions[2], columns, gap);
    }
}
