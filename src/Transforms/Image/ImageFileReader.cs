using MLNetFlows.Data;
using MLNetFlows.Torch.Imaging;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Reads one image file into an <see cref="MLImage"/> that keeps the channels the file stores (gray → Gray8,
/// colour → Rgb24, anything with alpha → Rgba32) through <see cref="ImageCodec"/>. Every failure, of the file or of
/// its content, is an <see cref="ImageDecodeException"/> naming the path and the reason.
/// </summary>
internal static class ImageFileReader
{
    public static MLImage Read(string path, long maxPixels)
    {
        byte[] data = ReadBytes(path);
        try
        {
            ImageInfo info = ImageCodec.Probe(data);
            int channels = info.Channels switch { 1 => 1, 3 => 3, _ => 4 };
            DecodedImage decoded = ImageCodec.Decode(data, channels, maxPixels);
            var format = channels switch { 1 => MLPixelFormat.Gray8, 3 => MLPixelFormat.Rgb24, _ => MLPixelFormat.Rgba32 };
            return MLImage.TakeOwnership(decoded.Width, decoded.Height, format, decoded.Pixels);
        }
        catch (ImageDecodeException e) when (e.Path is null)
        {
            throw new ImageDecodeException(path, e.Reason, e);
        }
    }

    private static byte[] ReadBytes(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageDecodeException(path, "the file does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ImageDecodeException(path, $"the file cannot be read: {e.Message}", e);
        }

        return data.Length > 0 ? data : throw new ImageDecodeException(path, "the file is empty (0 bytes)");
    }
}
