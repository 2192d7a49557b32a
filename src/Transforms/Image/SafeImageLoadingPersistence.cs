using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Persistence;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// Saves <see cref="SafeImageLoadingTransformer"/> inside an ML.NET model and loads it back, through the persistence
/// adapter (<see cref="ModelWriter"/>, <see cref="ModelReader"/>). Format version 0x00010001: ML.NET's header
/// (model signature <c>MLNFIMGS</c>, loader <c>MLNetFlowsSafeImageLoad</c>) and a manifest with no other entry, whose
/// parameters are
/// <code>
/// outputColumnName       text, not blank
/// inputColumnName        text, not blank
/// imageFolder            text; "" for none (paths used as they are)
/// maxPixels              integer ≥ 1
/// onBadImage             "Skip" or "Fail"
/// batchSize              integer ≥ 1
/// maxDegreeOfParallelism integer ≥ 0, as given (0: one thread per processor of the machine that loads it)
/// </code>
/// The diagnostics are not saved: a loaded transformer counts its own from zero.
/// </summary>
internal static class SafeImageLoadingPersistence
{
    /// <summary>How the transformer identifies itself in a model file.</summary>
    public static readonly PersistedModelKind Kind = new("MLNFIMGS", "MLNetFlowsSafeImageLoad", typeof(SafeImageLoadingTransformer));

    /// <summary>Makes <paramref name="catalog"/> able to load the transformer.</summary>
    /// <param name="catalog">An MLContext's component catalog.</param>
    public static void Register(ComponentCatalog catalog) => ModelLoaders.Register(catalog, Kind, (reader, _) => Load(reader));

    /// <summary>Writes the transformer's settings.</summary>
    /// <param name="transformer">The transformer.</param>
    /// <param name="ctx">The context ML.NET passed to <c>ICanSaveModel.Save</c>.</param>
    public static void Save(SafeImageLoadingTransformer transformer, ModelSaveContext ctx) => ModelWriter.Save(ctx, Kind, writer =>
    {
        writer.Set("outputColumnName", transformer.OutputColumnName);
        writer.Set("inputColumnName", transformer.InputColumnName);
        writer.Set("imageFolder", transformer.ImageFolder ?? string.Empty);
        writer.Set("maxPixels", transformer.MaxPixels);
        writer.Set("onBadImage", transformer.OnBadImage.ToString());
        writer.Set("batchSize", transformer.BatchSize);
        writer.Set("maxDegreeOfParallelism", transformer.RequestedParallelism);
    });

    private static SafeImageLoadingTransformer Load(ModelReader reader)
    {
        var options = new SafeImageLoadingEstimator.Options
        {
            OutputColumnName = NotBlank(reader, "outputColumnName"),
            InputColumnName = NotBlank(reader, "inputColumnName"),
            ImageFolder = reader.GetString("imageFolder"),
            MaxPixels = reader.GetInt64("maxPixels", minimum: 1),
            OnBadImage = reader.GetEnum<BadImageHandling>("onBadImage"),
            BatchSize = reader.GetInt32("batchSize", minimum: 1),
            MaxDegreeOfParallelism = reader.GetInt32("maxDegreeOfParallelism", minimum: 0),
        };
        return new SafeImageLoadingTransformer(options, new ImageLoadingDiagnostics());
    }

    private static string NotBlank(ModelReader reader, string name)
    {
        var value = reader.GetString(name);
        return string.IsNullOrWhiteSpace(value) ? throw reader.Error($"parameter '{name}' is blank, expected a column name") : value;
    }
}
