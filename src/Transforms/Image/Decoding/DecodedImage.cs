using Microsoft.ML.Data;

namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>
/// A decoded image in the layout ImageAnalytics' <see cref="MLImage"/> holds after <c>LoadImages</c>: 4 bytes per
/// pixel in <see cref="Format"/> order (BGRA on little-endian machines), alpha premultiplied, rows top to bottom.
/// </summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Format"><see cref="MLPixelFormat.Bgra32"/> or <see cref="MLPixelFormat.Rgba32"/>.</param>
/// <param name="Pixels">Width × height × 4 bytes.</param>
internal sealed record DecodedImage(int Width, int Height, MLPixelFormat Format, byte[] Pixels)
{
    /// <summary>A new <see cref="MLImage"/> holding a copy of the pixels (the caller owns and disposes it).</summary>
    public MLImage ToMLImage() => MLImage.CreateFromPixels(Width, Height, Format, Pixels);
}
