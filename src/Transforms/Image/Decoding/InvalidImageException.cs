namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>
/// Thrown by the image checks and the decoder when the bytes are not a loadable image: <see cref="Exception.Message"/>
/// is the reason alone (the caller adds the path).
/// </summary>
internal sealed class InvalidImageException : Exception
{
    public InvalidImageException(string reason)
        : base(reason)
    {
    }

    public InvalidImageException(string reason, Exception inner)
        : base(reason, inner)
    {
    }
}
