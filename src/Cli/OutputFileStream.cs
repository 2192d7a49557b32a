namespace MLNetFlows.Cli;

/// <summary>
/// The temporary file <see cref="OutputFiles.Write"/> writes: a write-only file stream whose own I/O failures (disk full,
/// read-only file system, quota) become a <see cref="CliFailureException"/> that names the output file the user asked for and
/// says that nothing was written under that name, instead of the temporary file's name.
/// </summary>
internal sealed class OutputFileStream : Stream
{
    private readonly string _target;
    private readonly FileStream _file;

    /// <summary>Creates <paramref name="temporary"/> (replacing it) for the output <paramref name="target"/>.</summary>
    public OutputFileStream(string target, string temporary)
    {
        _target = target;
        _file = Guard(() => new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None));
    }

    public override bool CanRead => false;

    public override bool CanSeek => _file.CanSeek;

    public override bool CanWrite => true;

    public override long Length => _file.Length;

    public override long Position
    {
        get => _file.Position;
        set => _file.Position = value;
    }

    /// <summary>Flushes everything to the storage device (before the rename that publishes the file).</summary>
    public void FlushToDisk() => Guard(() => _file.Flush(flushToDisk: true));

    public override void Flush() => Guard(_file.Flush);

    public override void Write(byte[] buffer, int offset, int count) => Guard(() => _file.Write(buffer, offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            _file.Write(buffer);
        }
        catch (IOException e)
        {
            throw Named(e);
        }
    }

    public override void WriteByte(byte value) => Guard(() => _file.WriteByte(value));

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the output file is written only");

    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void SetLength(long value) => Guard(() => _file.SetLength(value));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Guard(_file.Dispose);
        }

        base.Dispose(disposing);
    }

    private void Guard(Action action) => Guard(() =>
    {
        action();
        return 0;
    });

    private T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (IOException e)
        {
            throw Named(e);
        }
    }

    private CliFailureException Named(IOException e) =>
        new($"cannot write '{_target}': {CliErrors.OneLine(e.Message)}; nothing was written under that name", e);
}
