using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// The <see cref="IDataView"/> plumbing of a data set held in memory: knows its row count, shuffles when given a
/// <see cref="Random"/>, and any number of cursors may run at once. A derived view gives the schema and, through its
/// <see cref="RowCursor"/>, one getter per column.
/// </summary>
internal abstract class InMemoryDataView : IDataView
{
    /// <summary>Creates the view over <paramref name="rows"/> rows with <paramref name="schema"/>.</summary>
    protected InMemoryDataView(DataViewSchema schema, int rows)
    {
        Schema = schema;
        Rows = rows;
    }

    /// <inheritdoc/>
    public bool CanShuffle => true;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <summary>The number of rows.</summary>
    protected int Rows { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => Rows;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        int[]? order = null;
        if (rand is not null)
        {
            order = [.. Enumerable.Range(0, Rows)];
            rand.Shuffle(order);
        }

        return CreateCursor(columnsNeeded, order);
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    /// <summary>A cursor over the rows in <paramref name="order"/> (null: in storage order).</summary>
    protected abstract RowCursor CreateCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, int[]? order);

    /// <summary>Moves over the rows of an <see cref="InMemoryDataView"/>; a derived cursor makes the getters.</summary>
    protected abstract class RowCursor : DataViewRowCursor
    {
        private readonly InMemoryDataView _parent;
        private readonly bool[] _active;
        private readonly int[]? _order;
        private long _position = -1;
        private int _row = -1;

        /// <summary>Creates the cursor; throws when a requested column is not one of the view's.</summary>
        protected RowCursor(InMemoryDataView parent, IEnumerable<DataViewSchema.Column> columnsNeeded, int[]? order)
        {
            _parent = parent;
            _order = order;
            _active = new bool[parent.Schema.Count];
            foreach (var column in columnsNeeded)
            {
                if (column.Index >= _active.Length || parent.Schema[column.Index].Name != column.Name)
                {
                    throw new ArgumentException($"column '{column.Name}' (index {column.Index}) is not a column of this data set: expected one of {string.Join(", ", parent.Schema.Select(c => c.Name))}", nameof(columnsNeeded));
                }

                _active[column.Index] = true;
            }
        }

        /// <inheritdoc/>
        public override long Position => _position;

        /// <inheritdoc/>
        public override long Batch => 0;

        /// <inheritdoc/>
        public override DataViewSchema Schema => _parent.Schema;

        /// <inheritdoc/>
        public override bool MoveNext()
        {
            if (_position + 1 >= _parent.Rows)
            {
                _row = -1;
                return false;
            }

            _position++;
            _row = _order is null ? (int)_position : _order[_position];
            return true;
        }

        /// <inheritdoc/>
        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)CurrentRow(), 0);

        /// <inheritdoc/>
        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _active.Length && _active[column.Index];

        /// <inheritdoc/>
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
            {
                throw new InvalidOperationException($"column '{column.Name}' was not requested when the cursor was created: pass it in columnsNeeded");
            }

            var getter = MakeGetter(column.Index);
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"column '{column.Name}' holds {column.Type}: expected a getter of {getter.GetType().GetGenericArguments()[0].Name}, got one of {typeof(TValue).Name}");
        }

        /// <summary>The getter of column <paramref name="columnIndex"/> (a <c>ValueGetter</c> of the column's type).</summary>
        protected abstract Delegate MakeGetter(int columnIndex);

        /// <summary>The storage index of the current row; throws when the cursor is not on a row.</summary>
        protected int CurrentRow() => _row >= 0 ? _row : throw new InvalidOperationException("the cursor is not on a row: call MoveNext first (and stop when it returns false)");
    }
}
