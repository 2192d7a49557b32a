namespace MLNetFlows.Transforms.Image;

/// <summary>An image that <c>LoadImagesSafely</c> could not load.</summary>
/// <param name="Path">The file path, as resolved against the image folder.</param>
/// <param name="Reason">Why: the path is empty, the file is missing, unreadable or empty, not a PNG or JPEG, corrupt, truncated, or over the size limit.</param>
public sealed record ImageLoadFailure(string Path, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"'{Path}': {Reason}";
}
