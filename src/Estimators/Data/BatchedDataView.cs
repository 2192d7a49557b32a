using Microsoft.ML;

namespace MLNetFlows.Estimators.Data;

/// <summary>
/// The lazy output of a <see cref="BatchedTransformer"/>: nothing is computed until a cursor moves, and every cursor
/// makes a fresh pass over the input (so the view is repeatable and can be cursored concurrently). Each cursor reads
/// its input through one upstream cursor and computes the added columns a batch at a time (<see cref="BatchedCursor"/>).
/// </summary>
internal sealed class BatchedDataView : IDataView
{
    private readonly IDataView _input;
    private readonly BatchMapper _mapper;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="input">The input data.</param>
    /// <param name="mapper">A mapper bound to <paramref name="input"/>'s schema.</param>
    public BatchedDataView(IDataView input, BatchMapper mapper)
    {
        _input = input;
        _mapper = mapper;
    }

    /// <inheritdoc/>
    public bool CanShuffle => _input.CanShuffle;

    /// <inheritdoc/>
    public DataViewSchema Schema => _mapper.OutputSchema;

    /// <inheritdoc/>
    public long? GetRowCount() => _input.GetRowCount();

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = _mapper.ActiveFlags(columnsNeeded);
        var needed = _mapper.InputsNeeded(active);
        var input = _input.GetRowCursor(_input.Schema.Where(c => needed[c.Index]), rand);
        return new BatchedCursor(_mapper, input, active);
    }

    /// <inheritdoc/>
    /// <remarks>One cursor: batches are formed from one upstream pass.</remarks>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
