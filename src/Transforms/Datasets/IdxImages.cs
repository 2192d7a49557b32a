using System.Diagnostics;

namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// A stack of 8-bit grayscale images read from an IDX file: <see cref="Count"/> images of
/// <see cref="Height"/> × <see cref="Width"/> pixels stored contiguously, image after image, each row-major.
/// Immutable.
/// </summary>
public sealed class IdxImages
{
    internal IdxImages(int count, int height, int width, byte[] pixels)
    {
        Debug.Assert((long)count * height * width == pixels.Length, "pixel buffer length must equal count × height × width");
        Count = count;
        Height = height;
        Width = width;
        Pixels = pixels;
    }

    /// <summary>Gets the number of images.</summary>
    public int Count { get; }

    /// <summary>Gets the height of every image, in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the width of every image, in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the number of pixels of one image (<see cref="Height"/> × <see cref="Width"/>).</summary>
    public int PixelsPerImage => Height * Width;

    /// <summary>Gets all pixels: <see cref="Count"/> × <see cref="Height"/> × <see cref="Width"/> bytes, row-major.</summary>
    public ReadOnlyMemory<byte> Pixels { get; }

    /// <summary>Gets the pixels of one image (<see cref="PixelsPerImage"/> bytes, row-major).</summary>
    /// <param name="index">The image index, in [0, <see cref="Count"/>).</param>
    /// <returns>The image's pixels.</returns>
    public ReadOnlyMemory<byte> GetImage(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"expected an image index in [0, {Count}), got {index}");
        }

        return Pixels.Slice(index * PixelsPerImage, PixelsPerImage);
    }
}
