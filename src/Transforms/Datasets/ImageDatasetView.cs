using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// An in-memory data set of 8-bit gray images and their classes as an <see cref="IDataView"/> with the columns of
/// <see cref="ImageDatasetColumns"/>. Pixels stay bytes in memory and become <see cref="float"/>s in the getter.
/// Immutable.
/// </summary>
internal sealed class ImageDatasetView : InMemoryDataView
{
    private readonly IdxImages _images;
    private readonly byte[] _labels;

    /// <summary>Creates the view over the first <paramref name="rows"/> images.</summary>
    /// <param name="images">The images.</param>
    /// <param name="labels">One class per image, each below <paramref name="classNames"/>' count.</param>
    /// <param name="classNames">The class names, indexed by class.</param>
    /// <param name="rows">How many images, from the first, the view holds (at most <paramref name="images"/>' count).</param>
    public ImageDatasetView(IdxImages images, byte[] labels, IReadOnlyList<string> classNames, int rows)
        : base(MakeSchema(images, classNames), rows)
    {
        System.Diagnostics.Debug.Assert(images.Count == labels.Length && rows <= images.Count, "one label per image, rows within the images");
        _images = images;
        _labels = labels;
    }

    /// <inheritdoc/>
    protected override RowCursor CreateCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, int[]? order) => new Cursor(this, columnsNeeded, order);

    private static DataViewSchema MakeSchema(IdxImages images, IReadOnlyList<string> classNames)
    {
        var names = new VBuffer<ReadOnlyMemory<char>>(classNames.Count, [.. classNames.Select(n => n.AsMemory())]);
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(
            "KeyValues",
            new VectorDataViewType(TextDataViewType.Instance, classNames.Count),
            (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> value) => names.CopyTo(ref value)));
        var schema = new DataViewSchema.Builder();
        schema.AddColumn(ImageDatasetColumns.Label, new KeyDataViewType(typeof(uint), classNames.Count), annotations.ToAnnotations());
        schema.AddColumn(ImageDatasetColumns.Features, new VectorDataViewType(NumberDataViewType.Single, 1, images.Height, images.Width));
        return schema.ToSchema();
    }

    private sealed class Cursor(ImageDatasetView parent, IEnumerable<DataViewSchema.Column> columnsNeeded, int[]? order)
        : RowCursor(parent, columnsNeeded, order)
    {
        protected override Delegate MakeGetter(int columnIndex) => columnIndex == 0 ? MakeLabelGetter() : MakeFeaturesGetter();

        private ValueGetter<uint> MakeLabelGetter() => (ref uint value) => value = parent._labels[CurrentRow()] + 1u;

        private ValueGetter<VBuffer<float>> MakeFeaturesGetter() => (ref VBuffer<float> value) =>
        {
            ReadOnlySpan<byte> pixels = parent._images.GetImage(CurrentRow()).Span;
            var editor = VBufferEditor.Create(ref value, pixels.Length);
            for (int i = 0; i < pixels.Length; i++)
            {
                editor.Values[i] = pixels[i];
            }

            value = editor.Commit();
        };
    }
}
