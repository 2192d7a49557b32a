using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// The cursor of a <see cref="BatchedDataView"/>. It owns ONE upstream cursor, over exactly the input columns needed
/// (the active pass-through columns and the dependencies of the active added columns). To serve a batch it reads up to
/// <see cref="BatchMapper.BatchSize"/> upstream rows, calling every needed upstream getter once per row and storing the
/// value in that column's <see cref="ColumnBuffer"/> slot (and the row id), then makes one
/// <see cref="BatchMapper.MapBatch"/> call, then serves the rows one by one from the buffers: pass-through columns
/// from their slots, added columns from the mapper's output slots. The upstream cursor is therefore a batch ahead of the
/// row being served, and no upstream value is computed twice (a second cursor for the pass-through columns would make
/// upstream transforms, e.g. image decoding, run twice for columns both cursors read).
/// </summary>
internal sealed class BatchedCursor : DataViewRowCursor
{
    private readonly BatchMapper _mapper;
    private readonly DataViewRowCursor _input;
    private readonly bool[] _active;
    private readonly ColumnBuffer?[] _inputBuffers;
    private readonly ColumnBuffer?[] _outputBuffers;
    private readonly Action<int>[] _fillers;
    private readonly RowBatch _batch;
    private readonly bool _anyOutput;
    private readonly DataViewRowId[] _ids;
    private readonly ValueGetter<DataViewRowId> _inputIds;
    private int _slot = -1;
    private int _count;
    private long _position = -1;
    private bool _done;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="mapper">The mapper (bound to the input cursor's schema).</param>
    /// <param name="input">The upstream cursor, over the columns <see cref="BatchMapper.InputsNeeded"/> returned for <paramref name="active"/>.</param>
    /// <param name="active">One flag per column of the mapper's output schema.</param>
    public BatchedCursor(BatchMapper mapper, DataViewRowCursor input, bool[] active)
    {
        _mapper = mapper;
        _input = input;
        _active = active;
        var needed = mapper.InputsNeeded(active);
        _inputBuffers = new ColumnBuffer?[needed.Length];
        var fillers = new List<Action<int>>();
        for (var i = 0; i < needed.Length; i++)
        {
            if (needed[i])
            {
                var column = input.Schema[i];
                var buffer = ColumnBuffer.Create(column.Type, mapper.BatchSize);
                _inputBuffers[i] = buffer;
                fillers.Add(buffer.MakeFiller(input, column));
            }
        }

        _fillers = [.. fillers];
        _outputBuffers = new ColumnBuffer?[mapper.OutputColumns.Count];
        for (var i = 0; i < _outputBuffers.Length; i++)
        {
            if (active[needed.Length + i])
            {
                _outputBuffers[i] = ColumnBuffer.Create(mapper.OutputColumns[i].Type, mapper.BatchSize);
                _anyOutput = true;
            }
        }

        _ids = new DataViewRowId[mapper.BatchSize];
        _inputIds = input.GetIdGetter();
        _batch = new RowBatch(mapper, _inputBuffers, _outputBuffers);
    }

    /// <inheritdoc/>
    public override DataViewSchema Schema => _mapper.OutputSchema;

    /// <inheritdoc/>
    public override long Position => _position;

    /// <inheritdoc/>
    /// <remarks>Rows come from a single upstream cursor, in its order: one batch.</remarks>
    public override long Batch => 0;

    /// <inheritdoc/>
    public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _active.Length && _active[column.Index];

    /// <inheritdoc/>
    public override bool MoveNext()
    {
        if (_done)
        {
            return false;
        }

        if (++_slot < _count || ReadBatch())
        {
            _position++;
            return true;
        }

        _done = true;
        _slot = -1;
        return false;
    }

    /// <inheritdoc/>
    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = _ids[CurrentSlot()];

    /// <inheritdoc/>
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
        {
            throw new InvalidOperationException($"column '{column.Name}' is not active in this cursor: request it in GetRowCursor's columnsNeeded");
        }

        var inputCount = _inputBuffers.Length;
        var buffer = column.Index < inputCount ? _inputBuffers[column.Index]! : _outputBuffers[column.Index - inputCount]!;
        return buffer.MakeGetter(CurrentSlot) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Invalid TValue in GetGetter: '{typeof(TValue)}', expected type: '{buffer.ValueType}'.");
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            foreach (var buffer in _inputBuffers.Concat(_outputBuffers))
            {
                buffer?.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private int CurrentSlot() => _slot >= 0 && _slot < _count && !_done
        ? _slot
        : throw new InvalidOperationException("the cursor is not on a row: call MoveNext first, and read values only while it returns true");

    /// <summary>Reads the next batch from upstream and maps it; false at the end of the input.</summary>
    private bool ReadBatch()
    {
        _slot = 0;
        _count = 0;
        while (_count < _mapper.BatchSize && _input.MoveNext())
        {
            foreach (var fill in _fillers)
            {
                fill(_count);
            }

            _inputIds(ref _ids[_count]);
            _count++;
        }

        if (_count == 0)
        {
            return false;
        }

        if (_anyOutput)
        {
            _batch.Count = _count;
            _mapper.MapBatch(_batch);
        }

        return true;
    }
}
