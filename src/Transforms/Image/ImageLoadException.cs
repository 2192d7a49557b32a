namespace MLNetFlows.Transforms.Image;

/// <summary>
/// An image could not be loaded and <see cref="BadImageHandling.Fail"/> asked to fail: the one-line message names
/// the file and the reason.
/// </summary>
public sealed class ImageLoadException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ImageLoadException"/> class.</summary>
    /// <param name="failure">The file and the reason.</param>
    public ImageLoadException(ImageLoadFailure failure)
        : base($"cannot load image {failure ?? throw new ArgumentNullException(nameof(failure))}")
    {
        Failure = failure;
    }

    /// <summary>Gets the file and the reason.</summary>
    public ImageLoadFailure Failure { get; }
}
