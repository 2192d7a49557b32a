using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// An in-memory data set of 8-bit gray images and their classes as an <see cref="IDataView"/> with the columns of
/// <see cref="ImageDatasetColumns"/>. Pixels stay bytes in memory and become <see cref="float"/>s in the getter.
/// Knows its row count, shuffles when given a <see cref="Random"/>, and any number of cursors may run at once.
/// Immutable.
/// </summary>
internal sealed class ImageDatasetView : IDataView
{
    private readonly IdxImages _images;
    private readonly byte[] _labels;
    private readonly int _rows;

    /// <summary>Creates the view over the first <paramref name="rows"/> images.</summary>
    /// <param name="images">The images.</param>
    /// <param name="labels">One class per image, each below <paramref name="classNames"/>' count.</param>
    /// <param name="classNames">The class names, indexed by class.</param>
    /// <param name="rows">How many images, from the first, the view holds (at most <paramref name="images"/>' count).</param>
    public ImageDatasetView(IdxImages images, byte[] labels, IReadOnlyList<string> classNames, int rows)
    {
        System.Diagnostics.Debug.Assert(images.Count == labels.Length && rows <= images.Count, "one label per image, rows within the images");
        _images = images;
        _labels = labels;
        _rows = rows;
        var names = new VBuffer<ReadOnlyMemory<char>>(classNames.Count, [.. classNames.Select(n => n.AsMemory())]);
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(
            "KeyValues",
            new VectorDataViewType(TextDataViewType.Instance, classNames.Count),
            (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> value) => names.CopyTo(ref value)));
        var schema = new DataViewSchema.Builder();
        schema.AddColumn(ImageDatasetColumns.Label, new KeyDataViewType(typeof(uint), classNames.Count), annotations.ToAnnotations());
        schema.AddColumn(ImageDatasetColumns.Features, new VectorDataViewType(NumberDataViewType.Single, 1, images.Height, images.Width));
        Schema = schema.ToSchema();
    }

    /// <inheritdoc/>
    public bool CanShuffle => true;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => _rows;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        int[]? order = null;
        if (rand is not null)
        {
            order = [.. Enumerable.Range(0, _rows)];
            rand.Shuffle(order);
        }

        return new Cursor(this, columnsNeeded, order);
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ImageDatasetView _parent;
        private readonly bool[] _active;
        private readonly int[]? _order;
        private long _position = -1;
        private int _row = -1;

        public Cursor(ImageDatasetView parent, IEnumerable<DataViewSchema.Column> columnsNeeded, int[]? order)
        {
            _parent = parent;
            _order = order;
            _active = new bool[parent.Schema.Count];
            foreach (DataViewSchema.Column column in columnsNeeded)
            {
                if (column.Index >= _active.Length || parent.Schema[column.Index].Name != column.Name)
                {
                    throw new ArgumentException($"column '{column.Name}' (index {column.Index}) is not a column of this data set: expected one of {ImageDatasetColumns.Label}, {ImageDatasetColumns.Features}", nameof(columnsNeeded));
                }

                _active[column.Index] = true;
            }
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _parent.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 >= _parent._rows)
            {
                _row = -1;
                return false;
            }

            _position++;
            _row = _order is null ? (int)_position : _order[_position];
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)CurrentRow(), 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _active.Length && _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
            {
                throw new InvalidOperationException($"column '{column.Name}' was not requested when the cursor was created: pass it in columnsNeeded");
            }

            Delegate getter = column.Index == 0 ? MakeLabelGetter() : MakeFeaturesGetter();
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"column '{column.Name}' holds {column.Type}: expected a getter of {getter.GetType().GetGenericArguments()[0].Name}, got one of {typeof(TValue).Name}");
        }

        private ValueGetter<uint> MakeLabelGetter() => (ref uint value) => value = _parent._labels[CurrentRow()] + 1u;

        private ValueGetter<VBuffer<float>> MakeFeaturesGetter() => (ref VBuffer<float> value) =>
        {
            ReadOnlySpan<byte> pixels = _parent._images.GetImage(CurrentRow()).Span;
            var editor = VBufferEditor.Create(ref value, pixels.Length);
            for (int i = 0; i < pixels.Length; i++)
            {
                editor.Values[i] = pixels[i];
            }

            value = editor.Commit();
        };

        private int CurrentRow() => _row >= 0 ? _row : throw new InvalidOperationException("the cursor is not on a row: call MoveNext first (and stop when it returns false)");
    }
}
