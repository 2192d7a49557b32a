using System.Globalization;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>The columns an <see cref="InfoGanGenerationTransformer"/> reads (codes and seed per row) and writes (the image).</summary>
/// <param name="CategoryColumnName">The key column of the first categorical code; code i &gt; 0 reads this name followed by i.</param>
/// <param name="ContinuousColumnName">The vector column of the continuous codes.</param>
/// <param name="SeedColumnName">The Int32 column of each row's noise seed.</param>
/// <param name="OutputColumnName">The column of generated planar pixels in [0, 255], <c>Vector&lt;Single, C, H, W&gt;</c>.</param>
/// <param name="ImageColumnName">The column of the same images as ImageAnalytics' <c>MLImage</c> (<see cref="Microsoft.ML.Transforms.Image.ImageDataViewType"/>, 32-bit RGBA; gray images have equal R, G and B), ready for ResizeImages, ConvertToGrayscale or ExtractPixels; only for gray or RGB models (1 or 3 channels).</param>
public sealed record InfoGanGenerationColumns(
    string CategoryColumnName = InfoGanColumns.Category,
    string ContinuousColumnName = InfoGanColumns.Continuous,
    string SeedColumnName = InfoGanGenerationColumns.DefaultSeedColumnName,
    string OutputColumnName = InfoGanGenerationColumns.DefaultOutputColumnName,
    string ImageColumnName = InfoGanGenerationColumns.DefaultImageColumnName)
{
    /// <summary>The default image column.</summary>
    public const string DefaultImageColumnName = "GeneratedMLImage";

    /// <summary>The default seed column.</summary>
    public const string DefaultSeedColumnName = "Seed";

    /// <summary>The default output column.</summary>
    public const string DefaultOutputColumnName = "GeneratedImage";

    /// <summary>The key column of categorical code <paramref name="code"/>.</summary>
    public string CategoryColumnOf(int code) => code == 0 ? CategoryColumnName : string.Create(CultureInfo.InvariantCulture, $"{CategoryColumnName}{code}");

    /// <summary>Throws an <see cref="ArgumentException"/> when a name is empty.</summary>
    internal void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(CategoryColumnName), CategoryColumnName), (nameof(ContinuousColumnName), ContinuousColumnName), (nameof(SeedColumnName), SeedColumnName), (nameof(OutputColumnName), OutputColumnName), (nameof(ImageColumnName), ImageColumnName) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"{name} must name a column", name);
            }
        }

        if (OutputColumnName == ImageColumnName)
        {
            throw new ArgumentException($"OutputColumnName and ImageColumnName are both '{ImageColumnName}'; give the pixels and the image different columns", nameof(ImageColumnName));
        }
    }
}
