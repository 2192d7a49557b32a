namespace MLNetFlows;

internal sealed partial class MappedDataView
{
    /// <summary>
    /// Cursor of a batched mapper: reads up to BatchSize input rows ahead into buffers (the needed input columns
    /// and the active pass-through columns), runs the mapper once on the batch, then serves rows from the buffers.
    /// </summary>
    private sealed class BatchCursor : DataViewRowCursor
    {
        private readonly MappedDataView _parent;
        private readonly BatchedColumnMapper _mapper;
        private readonly DataViewRowCursor _input;
        private readonly bool[] _active;
        private readonly ColumnBuffer?[] _inputBuffers;
        private readonly ColumnBuffer?[] _outputBuffers;
        private readonly Action<int>[] _fillers;
        private readonly RowBatch _batch;
        private readonly bool _anyOutput;
        private int _slot = -1;
        private int _count;

        public BatchCursor(MappedDataView parent, BatchedColumnMapper mapper, DataViewRowCursor input, bool[] active, bool[] inputsNeeded)
        {
            _parent = parent;
            _mapper = mapper;
            _input = input;
            _active = active;
            DataViewSchema inputSchema = input.Schema;
            _inputBuffers = new ColumnBuffer?[inputSchema.Count];
            var fillers = new List<Action<int>>();
            foreach (DataViewSchema.Column column in inputSchema)
            {
                if (inputsNeeded[column.Index])
                {
                    ColumnBuffer buffer = ColumnBuffer.Create(column.Type, mapper.BatchSize);
                    _inputBuffers[column.Index] = buffer;
                    fillers.Add(buffer.MakeFiller(input, column));
                }
            }

            _fillers = [.. fillers];
            _outputBuffers = new ColumnBuffer?[mapper.OutputColumns.Count];
            for (int i = 0; i < _outputBuffers.Length; i++)
            {
                if (active[inputSchema.Count + i])
                {
                    _outputBuffers[i] = ColumnBuffer.Create(mapper.OutputColumns[i].Type, mapper.BatchSize);
                    _anyOutput = true;
                }
            }

            _batch = new RowBatch(inputSchema, mapper.OutputColumns, _inputBuffers, _outputBuffers);
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        protected override bool MoveNextCore()
        {
            if (++_slot < _count)
            {
                return true;
            }

            _slot = 0;
            _count = 0;
            foreach (ColumnBuffer? buffer in _inputBuffers)
            {
                buffer?.EnsureSlots(_mapper.BatchSize);
            }

            while (_count < _mapper.BatchSize && _input.MoveNext())
            {
                foreach (Action<int> fill in _fillers)
                {
                    fill(_count);
                }

                _count++;
            }

            if (_count == 0)
            {
                return false;
            }

            foreach (ColumnBuffer? buffer in _inputBuffers)
            {
                buffer?.EnsureSlots(_count);
            }

            foreach (ColumnBuffer? buffer in _outputBuffers)
            {
                buffer?.EnsureSlots(_count);
            }

            if (_anyOutput)
            {
                _batch.Count = _count;
                _mapper.MapBatch(_batch);
            }

            return true;
        }

        protected override ValueGetter<TValue> GetGetterCore<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _inputBuffers.Length;
            ColumnBuffer buffer = column.Index < inputCount ? _inputBuffers[column.Index]! : _outputBuffers[column.Index - inputCount]!;
            return (ValueGetter<TValue>)buffer.MakeGetter(() => _slot);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
