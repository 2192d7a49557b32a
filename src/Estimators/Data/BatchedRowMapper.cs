using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// The <see cref="IRowToRowMapper"/> of a <see cref="BatchedTransformer"/>, used by <c>PredictionEngine</c> and by
/// ML.NET's chained row mappers: a batch of one row. The first getter call of an added column for a new input row
/// (a new <see cref="DataViewRow.Position"/>) reads the dependencies once and makes one model call that computes all
/// active added columns; the other getters of that row read the result. Pass-through columns read the input row.
/// </summary>
internal sealed class BatchedRowMapper : IRowToRowMapper
{
    private readonly BatchMapper _mapper;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="mapper">A mapper bound to the input schema.</param>
    public BatchedRowMapper(BatchMapper mapper) => _mapper = mapper;

    /// <inheritdoc/>
    public DataViewSchema InputSchema => _mapper.InputSchema;

    /// <inheritdoc/>
    public DataViewSchema OutputSchema => _mapper.OutputSchema;

    /// <inheritdoc/>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = _mapper.InputsNeeded(_mapper.ActiveFlags(dependingColumns));
        return InputSchema.Where(c => needed[c.Index]);
    }

    /// <inheritdoc/>
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Schema.Count != InputSchema.Count)
        {
            throw new ArgumentException("the input row's schema is not the schema this mapper was made for", nameof(input));
        }

        return new Row(_mapper, input, _mapper.ActiveFlags(activeColumns));
    }

    private sealed class Row : DataViewRow
    {
        private readonly BatchMapper _mapper;
        private readonly DataViewRow _input;
        private readonly bool[] _active;
        private readonly ColumnBuffer?[] _outputBuffers;
        private readonly Action<int>[] _fillers;
        private readonly RowBatch _batch;
        private long _computedPosition = -1;

        public Row(BatchMapper mapper, DataViewRow input, bool[] active)
        {
            _mapper = mapper;
            _input = input;
            _active = active;
            var inputCount = mapper.InputSchema.Count;
            var inputBuffers = new ColumnBuffer?[inputCount];
            var fillers = new List<Action<int>>();
            _outputBuffers = new ColumnBuffer?[mapper.OutputColumns.Count];
            for (var i = 0; i < _outputBuffers.Length; i++)
            {
                if (!active[inputCount + i])
                {
                    continue;
                }

                _outputBuffers[i] = ColumnBuffer.Create(mapper.OutputColumns[i].Type, 1);
                foreach (var dependency in mapper.GetDependencies(i))
                {
                    if (inputBuffers[dependency.Index] is null)
                    {
                        var buffer = ColumnBuffer.Create(dependency.Type, 1);
                        inputBuffers[dependency.Index] = buffer;
                        fillers.Add(buffer.MakeFiller(input, input.Schema[dependency.Index]));
                    }
                }
            }

            _fillers = [.. fillers];
            _batch = new RowBatch(mapper, inputBuffers, _outputBuffers) { Count = 1 };
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _active.Length && _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
            {
                throw new InvalidOperationException($"column '{column.Name}' is not active in this row: request it in GetRow's activeColumns");
            }

            var inputCount = _mapper.InputSchema.Count;
            if (column.Index < inputCount)
            {
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            }

            var buffer = _outputBuffers[column.Index - inputCount]!;
            if (buffer.MakeGetter(() => 0) is not ValueGetter<TValue> getter)
            {
                throw new InvalidOperationException($"Invalid TValue in GetGetter: '{typeof(TValue)}', expected type: '{buffer.ValueType}'.");
            }

            return (ref TValue value) =>
            {
                Compute();
                getter(ref value);
            };
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <summary>Runs the model on the current input row unless it already did for this position.</summary>
        private void Compute()
        {
            var position = _input.Position;
            if (position < 0)
            {
                throw new InvalidOperationException("the input row is not on a row: values can be read only after it has moved to one");
            }

            if (position == _computedPosition)
            {
                return;
            }

            foreach (var fill in _fillers)
            {
                fill(0);
            }

            _mapper.MapBatch(_batch);
            _computedPosition = position;
        }
    }
}
