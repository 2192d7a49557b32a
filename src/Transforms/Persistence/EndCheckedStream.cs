using static System.FormattableString;

namespace MLNetFlows.Persistence;

/// <summary>
/// A read-only, seekable stream over bytes in memory that throws a <see cref="ModelFormatException"/> when asked for
/// bytes at or past its end, instead of returning 0. ML.NET 5.0.1's binary readers fill arrays in a loop that never
/// ends when the stream returns 0 (<c>Utils.ReadBinaryDataIntoSpan</c>), so a length field that claims more than an
/// entry holds would otherwise hang the reader.
/// </summary>
internal sealed class EndCheckedStream : Stream
{
    private readonly byte[] _bytes;
    private readonly Func<string, ModelFormatException> _error;
    private long _position;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="bytes">The content.</param>
    /// <param name="error">Makes the exception for a read past the end from its description.</param>
    public EndCheckedStream(byte[] bytes, Func<string, ModelFormatException> error)
    {
        _bytes = bytes;
        _error = error;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => true;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => _bytes.LongLength;

    /// <inheritdoc/>
    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a stream position cannot be negative");
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        if (_position >= _bytes.LongLength)
        {
            throw _error(Invariant($"a read of {buffer.Length:N0} bytes at byte {_position:N0} runs past the end of its {_bytes.LongLength:N0} bytes"));
        }

        var count = (int)Math.Min(buffer.Length, _bytes.LongLength - _position);
        _bytes.AsSpan((int)_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    /// <inheritdoc/>
    public override int ReadByte()
    {
        if (_position >= _bytes.LongLength)
        {
            throw _error(Invariant($"a read of 1 byte at byte {_position:N0} runs past the end of its {_bytes.LongLength:N0} bytes"));
        }

        return _bytes[_position++];
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _bytes.LongLength + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, null),
        };
        return _position;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException("the stream is read-only");

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the stream is read-only");
}
