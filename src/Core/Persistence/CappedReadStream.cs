namespace MLNetFlows.Persistence;

/// <summary>A read-only stream that fails with <see cref="ModelFormatException"/> once more than a cap of bytes were read (zip bombs).</summary>
internal sealed class CappedReadStream(Stream inner, long cap, string entryPath) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = inner.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw new ModelFormatException($"Zip entry '{entryPath}' is corrupt: {ex.Message}", ex);
        }

        _read += n;
        if (_read > cap)
        {
            throw new ModelFormatException($"Zip entry '{entryPath}' is larger than the limit: expected at most {cap} bytes, got more (see ModelLoadOptions.MaxEntryBytes).");
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
