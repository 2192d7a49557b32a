using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// A <see cref="ColorPatchSet"/> as an <see cref="IDataView"/> with the columns of <see cref="ColorPatchColumns"/>.
/// Patches stay bytes in memory; the getters convert to floats and to YCbCr (<see cref="YCbCrColor"/>). Knows its row
/// count, shuffles when given a <see cref="Random"/>, and any number of cursors may run at once (<see cref="InMemoryDataView"/>). Immutable.
/// </summary>
internal sealed class ColorPatchView : InMemoryDataView
{
    private const int ConditionIndex = 0;
    private const int FeaturesIndex = 1;
    private const int ColorIndex = 2;
    private readonly ColorPatchSet _patches;

    public ColorPatchView(ColorPatchSet patches, int rows)
        : base(MakeSchema(patches.PatchSize), rows)
    {
        _patches = patches;
    }

    /// <inheritdoc/>
    protected override RowCursor CreateCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, int[]? order) => new Cursor(this, columnsNeeded, order);

    private static DataViewSchema MakeSchema(int side)
    {
        var schema = new DataViewSchema.Builder();
        schema.AddColumn(ColorPatchColumns.Condition, new VectorDataViewType(NumberDataViewType.Single, 1, side, side));
        schema.AddColumn(ColorPatchColumns.Features, new VectorDataViewType(NumberDataViewType.Single, 2, side, side));
        schema.AddColumn(ColorPatchColumns.Color, new VectorDataViewType(NumberDataViewType.Single, 3, side, side));
        schema.AddColumn(ColorPatchColumns.Photograph, TextDataViewType.Instance);
        return schema.ToSchema();
    }

    private sealed class Cursor : RowCursor
    {
        private readonly ColorPatchView _parent;
        private readonly float[] _rgb;
        private readonly float[] _luma;
        private readonly float[] _chroma;
        private int _converted = -1;

        public Cursor(ColorPatchView parent, IEnumerable<DataViewSchema.Column> columnsNeeded, int[]? order)
            : base(parent, columnsNeeded, order)
        {
            _parent = parent;
            var plane = parent._patches.PatchSize * parent._patches.PatchSize;
            (_rgb, _luma, _chroma) = (new float[3 * plane], new float[plane], new float[2 * plane]);
        }

        protected override Delegate MakeGetter(int columnIndex) => columnIndex switch
        {
            ConditionIndex => VectorGetter(() => _luma),
            FeaturesIndex => VectorGetter(() => _chroma),
            ColorIndex => VectorGetter(() => _rgb),
            _ => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) =>
                value = _parent._patches.Photographs[_parent._patches.PhotographOf(CurrentRow())].AsMemory()),
        };
        private ValueGetter<VBuffer<float>> VectorGetter(Func<float[]> source) => (ref VBuffer<float> value) =>
        {
            Convert();
            var values = source();
            var editor = VBufferEditor.Create(ref value, values.Length);
            values.CopyTo(editor.Values);
            value = editor.Commit();
        };

        /// <summary>Converts the current row once, whichever of its columns is read first.</summary>
        private void Convert()
        {
            var row = CurrentRow();
            if (_converted == row)
            {
                return;
            }

            var bytes = _parent._patches.GetRgb(row).Span;
            for (var i = 0; i < bytes.Length; i++)
            {
                _rgb[i] = bytes[i];
            }

            YCbCrColor.FromRgb(_rgb, _luma, _chroma);
            _converted = row;
        }
    }
}
