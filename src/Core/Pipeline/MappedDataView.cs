namespace MLNetFlows;

/// <summary>
/// The lazy output of a <see cref="RowToRowTransformerBase"/>: input columns pass through, added columns are
/// computed by the mapper when cursored. Output column i &lt; n is input column i; the rest are the added columns.
/// </summary>
internal sealed partial class MappedDataView : IDataView
{
    private readonly IDataView _input;
    private readonly ColumnMapperBase _mapper;

    public MappedDataView(IDataView input, ColumnMapperBase mapper)
    {
        _input = input;
        _mapper = mapper;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema => _mapper.OutputSchema;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        bool[] active = ActiveColumns.From(Schema, columnsNeeded);
        int inputCount = _input.Schema.Count;
        bool[] activeOutputs = active[inputCount..];
        bool[] inputsNeeded = active[..inputCount];
        for (int i = 0; i < activeOutputs.Length; i++)
        {
            if (activeOutputs[i])
            {
                foreach (DataViewSchema.Column dependency in _mapper.Dependencies(i))
                {
                    inputsNeeded[dependency.Index] = true;
                }
            }
        }

        DataViewRowCursor input = _input.GetRowCursor(ActiveColumns.Select(_input.Schema, inputsNeeded), rand);
        return _mapper switch
        {
            RowColumnMapper rowMapper => new RowCursor(this, rowMapper, input, active),
            BatchedColumnMapper batchMapper => new BatchCursor(this, batchMapper, input, active, inputsNeeded),
            _ => throw new InvalidOperationException($"Unsupported mapper {_mapper.GetType().Name}."),
        };
    }

    /// <summary>Cursor of a per-row mapper: getters read the input cursor directly.</summary>
    private sealed class RowCursor : DataViewRowCursor
    {
        private readonly MappedDataView _parent;
        private readonly DataViewRowCursor _input;
        private readonly bool[] _active;
        private readonly Delegate?[] _outputGetters;

        public RowCursor(MappedDataView parent, RowColumnMapper mapper, DataViewRowCursor input, bool[] active)
        {
            _parent = parent;
            _input = input;
            _active = active;
            int inputCount = input.Schema.Count;
            _outputGetters = new Delegate?[active.Length - inputCount];
            for (int i = 0; i < _outputGetters.Length; i++)
            {
                _outputGetters[i] = active[inputCount + i] ? mapper.MakeGetter(input, i) : null;
            }
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Batch => _input.Batch;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        protected override bool MoveNextCore() => _input.MoveNext();

        protected override ValueGetter<TValue> GetGetterCore<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _input.Schema.Count;
            return column.Index < inputCount
                ? _input.GetGetter<TValue>(_input.Schema[column.Index])
                : (ValueGetter<TValue>)_outputGetters[column.Index - inputCount]!;
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
