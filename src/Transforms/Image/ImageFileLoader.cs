using MLNetFlows.Transforms.Image.Decoding;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Loads one image file for <see cref="SafeImageLoadingTransformer"/>: resolves the path against the image folder
/// as ImageAnalytics does, reads the bytes of a regular file (never a pipe or a device, which could block forever),
/// and decodes them with every check. A failure is returned, never thrown.
/// Immutable and thread-safe.
/// </summary>
internal sealed class ImageFileLoader(string? imageFolder, long maxPixels)
{
    /// <summary>The outcome of one load: an image, or the failure (never both).</summary>
    public readonly record struct Result(DecodedImage? Image, ImageLoadFailure? Failure);

    /// <summary>The path as loaded: relative paths are combined with the image folder (as ImageAnalytics' <c>LoadImages</c>).</summary>
    public string Resolve(ReadOnlySpan<char> path) =>
        string.IsNullOrWhiteSpace(imageFolder) || path.IsEmpty ? path.ToString() : Path.Combine(imageFolder, path.ToString());

    /// <summary>Loads the file at <paramref name="path"/> (already resolved).</summary>
    public Result TryLoad(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return Fail(path, "the path is empty");
        }

        byte[] data;
        try
        {
            // Only a regular file reports a size: a named pipe or a device (e.g. a CSV listing /dev/zero) reports 0 and
            // would block the open or never end the read, so it is refused without being opened.
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                return Fail(path, Directory.Exists(path) ? "the path is a folder, not an image file" : "the file does not exist");
            }

            if (file.Length == 0)
            {
                return Fail(path, "the file is empty (0 bytes) or not a regular file (a pipe or a device): not read");
            }

            if (file.Length > Array.MaxLength)
            {
                return Fail(path, $"the file is {file.Length} bytes, more than one image file can be (at most {Array.MaxLength})");
            }

            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Fail(path, "the file does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return Fail(path, $"the file cannot be read: {e.Message}");
        }

        try
        {
            return new Result(ImageDecoder.Decode(data, maxPixels), null);
        }
        catch (InvalidImageException e)
        {
            return Fail(path, e.Message);
        }
    }

    private static Result Fail(string path, string reason) => new(null, new ImageLoadFailure(path, reason));
}
