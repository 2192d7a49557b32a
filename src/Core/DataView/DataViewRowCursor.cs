namespace MLNetFlows;

/// <summary>
/// A forward-only pass over the rows of an <see cref="IDataView"/>. The base class tracks <see cref="Position"/>
/// and the cursor state; implementations advance in <see cref="MoveNextCore"/>. A cursor is used by one thread.
/// </summary>
public abstract class DataViewRowCursor : DataViewRow
{
    private long _position = -1;
    private bool _onRow;
    private bool _done;

    /// <inheritdoc/>
    public sealed override long Position => _position;

    /// <inheritdoc/>
    protected sealed override bool IsOnRow => _onRow;

    /// <summary>Advances to the next row.</summary>
    /// <returns>True when on a row, false when the pass is over (and on every later call).</returns>
    public bool MoveNext()
    {
        if (_done)
        {
            return false;
        }

        if (MoveNextCore())
        {
            _position++;
            _onRow = true;
            return true;
        }

        _onRow = false;
        _done = true;
        return false;
    }

    /// <summary>Advances the underlying source by one row.</summary>
    /// <returns>True when a row is available.</returns>
    protected abstract bool MoveNextCore();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _done = true;
        _onRow = false;
        base.Dispose(disposing);
    }
}
