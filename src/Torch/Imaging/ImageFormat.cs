namespace MLNetFlows.Torch.Imaging;

/// <summary>The encoded formats <see cref="ImageCodec"/> reads, recognised by their magic bytes, not by file name.</summary>
public enum ImageFormat
{
    /// <summary>PNG (decoded by libpng): any colour type and bit depth, interlaced or not.</summary>
    Png = 1,

    /// <summary>JPEG/JFIF (decoded by libjpeg-turbo): baseline or progressive, gray or colour.</summary>
    Jpeg = 2,
}
