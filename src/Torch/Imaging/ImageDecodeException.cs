namespace MLNetFlows.Torch.Imaging;

/// <summary>
/// An image could not be read or decoded: the file is missing, unreadable or empty, the data is not a PNG or JPEG, is
/// truncated or corrupt, or declares a size over the decompression-bomb limit. The message is
/// <c>'&lt;path&gt;': &lt;reason&gt;</c> (the reason alone when the data came from memory). Nothing native is left
/// allocated, and decoding other images goes on normally.
/// </summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the exception for the file at <paramref name="path"/> (null for data from memory).</summary>
    public ImageDecodeException(string? path, string reason)
        : this(path, reason, null)
    {
    }

    /// <summary>Creates the exception with the exception that caused it (an I/O error, for instance).</summary>
    public ImageDecodeException(string? path, string reason, Exception? innerException)
        : base(path is null ? reason : $"'{path}': {reason}", innerException)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Path = path;
        Reason = reason;
    }

    /// <summary>The file that failed, or null when the data came from memory.</summary>
    public string? Path { get; }

    /// <summary>Why it failed, without the path: the codec's own message for corrupt data.</summary>
    public string Reason { get; }
}
