using System.Globalization;
using System.Security.Cryptography;

namespace MLNetFlows.Persistence;

/// <summary>
/// An entry of a saved component opened by <see cref="ModelReader.ReadEntry{T}(string, Func{ModelEntry, T})"/> before any
/// of its content is read: its name is listed in the manifest and its <see cref="Length"/> equals the size the manifest
/// declares. A loader checks what it can against <see cref="Length"/> (e.g. that an architecture's weights fit in it),
/// then calls <see cref="VerifyChecksum"/>, then reads <see cref="Content"/>.
/// </summary>
internal sealed class ModelEntry
{
    private const int BufferBytes = 1 << 16;
    private readonly string _sha256;
    private readonly Func<string, ModelFormatException> _error;

    internal ModelEntry(string name, Stream content, string sha256, Func<string, ModelFormatException> error)
    {
        Name = name;
        Content = content;
        _sha256 = sha256;
        _error = error;
    }

    /// <summary>Gets the entry's name.</summary>
    public string Name { get; }

    /// <summary>Gets the entry's length in bytes (equal to the manifest's declared size).</summary>
    public long Length => Content.Length;

    /// <summary>Gets the content: a read-only, seekable stream positioned at its start.</summary>
    public Stream Content { get; }

    /// <summary>Gets whether <see cref="VerifyChecksum"/> has passed.</summary>
    public bool IsVerified { get; private set; }

    /// <summary>
    /// Streams the whole entry through SHA-256 (a fixed 64 KB buffer, nothing allocated in proportion to the entry) and
    /// compares it with the manifest; then rewinds <see cref="Content"/> to its start.
    /// </summary>
    /// <exception cref="ModelFormatException">The content does not match its SHA-256 in the manifest.</exception>
    public void VerifyChecksum()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferBytes];
        Content.Position = 0;
        int read;
        while ((read = Content.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        Content.Position = 0;
        if (Convert.ToHexStringLower(hash.GetHashAndReset()) != _sha256)
        {
            throw _error($"the entry '{Name}' does not match its SHA-256 in the manifest (the file is corrupt or was altered)");
        }

        IsVerified = true;
    }

    /// <summary>An exception naming this entry's component and <paramref name="problem"/>.</summary>
    /// <param name="problem">What is wrong.</param>
    public ModelFormatException Error(string problem) => _error(problem);

    /// <summary>Describes a byte count for messages, e.g. "67,108,872 bytes".</summary>
    /// <param name="bytes">The count.</param>
    public static string Bytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");
}
