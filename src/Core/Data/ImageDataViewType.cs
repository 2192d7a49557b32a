namespace MLNetFlows.Data;

/// <summary>
/// An image column type; values are <see cref="MLImage"/>. <see cref="Height"/> and <see cref="Width"/> are the
/// size every image has, or 0 when images may have any size (e.g. straight after loading from files).
/// </summary>
public sealed class ImageDataViewType : StructuredDataViewType
{
    /// <summary>Initializes an image type of any size.</summary>
    public ImageDataViewType()
        : this(0, 0)
    {
    }

    /// <summary>Initializes an image type.</summary>
    /// <param name="height">The image height, or 0 for any.</param>
    /// <param name="width">The image width, or 0 for any.</param>
    public ImageDataViewType(int height, int width)
        : base(typeof(MLImage))
    {
        Guard.MustBeGreaterThanOrEqualTo(height, 0);
        Guard.MustBeGreaterThanOrEqualTo(width, 0);
        Guard.IsTrue((height == 0) == (width == 0), "both height and width known, or both 0", $"{height} × {width}", nameof(height));
        Height = height;
        Width = width;
    }

    /// <summary>Gets the image height in pixels, or 0 when unknown.</summary>
    public int Height { get; }

    /// <summary>Gets the image width in pixels, or 0 when unknown.</summary>
    public int Width { get; }

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => other is ImageDataViewType i && i.Height == Height && i.Width == Width;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(RawType, Height, Width);

    /// <inheritdoc/>
    public override string ToString() => Height == 0 ? "Image" : $"Image<{Height}, {Width}>";
}
