using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// Reads up to a batch of rows from ONE upstream cursor (each needed upstream value computed once, kept in a
/// <see cref="SlotBuffer"/>), makes one <see cref="OnnxBatchMapper.MapBatch"/> call (one ONNX Runtime run) for the batch
/// when an added column is active, then serves the rows one by one.
/// </summary>
internal sealed class OnnxBatchCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly OnnxBatchMapper _mapper;
    private readonly bool[] _active;
    private readonly bool _scoring;
    private readonly SlotBuffer?[] _inputBuffers;
    private readonly Action<int>[] _fillers;
    private readonly OnnxBatch _batch;
    private readonly DataViewRowId[] _ids;
    private readonly ValueGetter<DataViewRowId> _inputIds;
    private Array[] _outputs = [];
    private int _slot = -1;
    private int _count;
    private long _position = -1;
    private bool _done;

    /// <param name="input">The upstream cursor, over the input columns flagged in <paramref name="needed"/>.</param>
    /// <param name="mapper">The mapper, bound to the input's schema.</param>
    /// <param name="needed">One flag per input column: read upstream.</param>
    /// <param name="active">One flag per output column: served.</param>
    public OnnxBatchCursor(DataViewRowCursor input, OnnxBatchMapper mapper, bool[] needed, bool[] active)
    {
        _input = input;
        _mapper = mapper;
        _active = active;
        _inputBuffers = new SlotBuffer?[needed.Length];
        var fillers = new List<Action<int>>();
        for (var i = 0; i < needed.Length; i++)
        {
            if (needed[i])
            {
                var column = input.Schema[i];
                _inputBuffers[i] = SlotBuffer.Create(column.Type, mapper.BatchSize);
                fillers.Add(_inputBuffers[i]!.MakeFiller(input, column));
            }
        }

        _fillers = [.. fillers];
        var activeOutputs = active[needed.Length..];
        _scoring = activeOutputs.Any(a => a);
        _batch = new OnnxBatch(_inputBuffers, activeOutputs);
        _ids = new DataViewRowId[mapper.BatchSize];
        _inputIds = input.GetIdGetter();
    }

    public override DataViewSchema Schema => _mapper.OutputSchema;

    public override long Position => _position;

    public override long Batch => 0;

    public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _active.Length && _active[column.Index];

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

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = _ids[CurrentSlot()];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
        {
            throw new InvalidOperationException($"column '{column.Name}' is not active in this cursor: request it in GetRowCursor's columnsNeeded");
        }

        var inputCount = _inputBuffers.Length;
        var getter = column.Index < inputCount
            ? _inputBuffers[column.Index]!.MakeGetter(CurrentSlot)
            : OutputGetter(column.Index - inputCount, column.Type);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Invalid TValue in GetGetter: '{typeof(TValue)}', expected type: '{column.Type.RawType}'.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
        }

        base.Dispose(disposing);
    }

    private Delegate OutputGetter(int output, DataViewType type)
    {
        if (type is VectorDataViewType vector)
        {
            var size = vector.Size;
            return new ValueGetter<VBuffer<float>>((ref VBuffer<float> value) =>
            {
                var slot = CurrentSlot();
                var editor = VBufferEditor.Create(ref value, size);
                ((float[])_outputs[output]).AsSpan(slot * size, size).CopyTo(editor.Values);
                value = editor.Commit();
            });
        }

        return type.RawType == typeof(bool) ? Scalar<bool>(output)
            : type.RawType == typeof(uint) ? Scalar<uint>(output)
            : Scalar<float>(output);
    }

    private ValueGetter<T> Scalar<T>(int output) => (ref T value) => value = ((T[])_outputs[output])[CurrentSlot()];

    private int CurrentSlot() => _slot >= 0 && _slot < _count && !_done
        ? _slot
        : throw new InvalidOperationException("the cursor is not on a row: call MoveNext first, and read values only while it returns true");

    private bool ReadBatch()
    {
        _slot = 0;
        _count = 0;
        while (_count < _ids.Length && _input.MoveNext())
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

        if (_scoring)
        {
            _batch.Count = _count;
            _outputs = _mapper.MapBatch(_batch);
        }

        return true;
    }
}
