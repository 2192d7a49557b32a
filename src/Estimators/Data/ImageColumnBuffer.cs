using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// Images (ImageAnalytics' <see cref="MLImage"/>): each slot holds the buffer's own copy, and every downstream getter
/// call gets a new copy that the caller owns (disposing the image passed in, ImageAnalytics' convention). Copies are
/// needed because upstream image getters may hand out an image they dispose or reuse at the next row (ResizeImages
/// returns its input image itself when the size already matches), while a batch keeps a whole batch of rows. The
/// buffer disposes its copies when a slot is refilled and when it is disposed.
/// </summary>
internal sealed class ImageColumnBuffer(int capacity) : ColumnBuffer<MLImage>(capacity)
{
    /// <inheritdoc/>
    public override Action<int> MakeFiller(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<MLImage>(column);
        var values = Values;
        MLImage scratch = null!;
        return slot =>
        {
            getter(ref scratch);
            values[slot]?.Dispose();
            values[slot] = Copy(scratch);
        };
    }

    /// <inheritdoc/>
    public override Delegate MakeGetter(Func<int> slot)
    {
        var values = Values;
        return (ValueGetter<MLImage>)((ref MLImage value) =>
        {
            var copy = Copy(values[slot()]);
            value?.Dispose();
            value = copy;
        });
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        for (var i = 0; i < Values.Length; i++)
        {
            Values[i]?.Dispose();
            Values[i] = null!;
        }
    }

    /// <summary>A new image with the pixels, format and tag of <paramref name="image"/> (null stays null: ImageAnalytics' missing image).</summary>
    private static MLImage Copy(MLImage? image)
    {
        if (image is null)
        {
            return null!;
        }

        var copy = MLImage.CreateFromPixels(image.Width, image.Height, image.PixelFormat, image.Pixels);
        copy.Tag = image.Tag;
        return copy;
    }
}
