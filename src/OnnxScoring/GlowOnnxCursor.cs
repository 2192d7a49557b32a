using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// Reads up to a batch of rows from ONE upstream cursor (each needed upstream value computed once, kept in a
/// <see cref="SlotBuffer"/>), makes one ONNX Runtime run for the batch when a model column is active, then serves the
/// rows one by one.
/// </summary>
internal sealed class GlowOnnxCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly GlowOnnxTransformer _transformer;
    private readonly DataViewSchema _schema;
    private readonly bool[] _active;
    private readonly bool _scoring;
    private readonly SlotBuffer?[] _inputBuffers;
    private readonly Action<int>[] _fillers;
    private readonly VBuffer<float>[] _pixels;
    private readonly Action<int>? _pixelFiller;
    private readonly DataViewRowId[] _ids;
    private readonly ValueGetter<DataViewRowId> _inputIds;
    private readonly int _dimensions;
    private readonly bool _complexityActive;
    private Array[] _outputs = [];
    private int _slot = -1;
    private int _count;
    private long _position = -1;
    private bool _done;

    public GlowOnnxCursor(DataViewRowCursor input, GlowOnnxTransformer transformer, DataViewSchema schema, DataViewSchema.Column features, bool[] active, bool scoring)
    {
        _input = input;
        _transformer = transformer;
        _schema = schema;
        _active = active;
        _scoring = scoring;
        var batchSize = transformer.BatchSize;
        _inputBuffers = new SlotBuffer?[input.Schema.Count];
        var fillers = new List<Action<int>>();
        foreach (var column in input.Schema.Where(c => active[c.Index]))
        {
            var buffer = SlotBuffer.Create(column.Type, batchSize);
            _inputBuffers[column.Index] = buffer;
            fillers.Add(buffer.MakeFiller(input, column));
        }

        _fillers = [.. fillers];
        _pixels = new VBuffer<float>[batchSize];
        if (scoring)
        {
            var pixels = input.GetGetter<VBuffer<float>>(features);
            _pixelFiller = slot => pixels(ref _pixels[slot]);
        }

        _dimensions = transformer.Description.ImageDimensions;
        var complexity = schema.GetColumnOrNull(GlowOnnxNames.ComplexityBitsPerDim);
        _complexityActive = complexity is { } c && c.Index >= input.Schema.Count && active[c.Index];
        _ids = new DataViewRowId[batchSize];
        _inputIds = input.GetIdGetter();
    }

    public override DataViewSchema Schema => _schema;

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

        return type == BooleanDataViewType.Instance
            ? new ValueGetter<bool>((ref bool value) => value = ((bool[])_outputs[output])[CurrentSlot()])
            : new ValueGetter<float>((ref float value) => value = ((float[])_outputs[output])[CurrentSlot()]);
    }

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

            _pixelFiller?.Invoke(_count);
            _inputIds(ref _ids[_count]);
            _count++;
        }

        if (_count == 0)
        {
            return false;
        }

        if (_scoring)
        {
            var pixels = new float[_count * _dimensions];
            for (var i = 0; i < _count; i++)
            {
                GlowOnnxTransformer.CopyPixels(_transformer.FeatureColumnName, _pixels[i], pixels.AsSpan(i * _dimensions, _dimensions));
            }

            _outputs = _transformer.Score(pixels, _count, _complexityActive);
        }

        return true;
    }
}
