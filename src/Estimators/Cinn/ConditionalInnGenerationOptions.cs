using System.Globalization;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Trainers.Glow;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// What a <see cref="ConditionalInnGenerationTransformer"/> reads and writes and how it draws: per row, the class in
/// <see cref="ConditionColumnName"/> and the Int32 in <see cref="SeedColumnName"/> give <see cref="ImagesPerRow"/>
/// images at <see cref="Temperature"/> in <see cref="OutputColumnName"/>. Image j of a row is decoded from latent noise
/// seeded by (<see cref="Seed"/>, the row's seed, j) alone, so the same row gives the same images whatever the batch
/// size, the row's position or the other rows.
/// </summary>
public sealed record ConditionalInnGenerationOptions
{
    /// <summary>The default seed column.</summary>
    public const string DefaultSeedColumnName = "Seed";

    /// <summary>The default output column.</summary>
    public const string DefaultOutputColumnName = "GeneratedImage";

    /// <summary>The largest <see cref="ImagesPerRow"/>.</summary>
    public const int MaxImagesPerRow = 1024;

    /// <summary>Gets the condition column: a key (class k ↔ key value k + 1) or an Int32 class index 0 … K − 1.</summary>
    public string ConditionColumnName { get; init; } = ConditionalInnTrainerOptions.Defaults.LabelColumnName;

    /// <summary>Gets the Int32 column of each row's seed (rows with the same class and seed get the same images).</summary>
    public string SeedColumnName { get; init; } = DefaultSeedColumnName;

    /// <summary>
    /// Gets the column written: planar pixels in [0, 255], <c>Vector&lt;Single, C, H, W&gt;</c> for one image per row (ready
    /// for ImageAnalytics' <c>ConvertToImage</c>), <c>Vector&lt;Single, n, C, H, W&gt;</c> for n.
    /// </summary>
    public string OutputColumnName { get; init; } = DefaultOutputColumnName;

    /// <summary>Gets the number of images generated per row.</summary>
    public int ImagesPerRow { get; init; } = 1;

    /// <summary>Gets the scale of the latent's standard deviation (below 1 gives cleaner, less varied images).</summary>
    public double Temperature { get; init; } = 1;

    /// <summary>Gets the seed combined with every row's seed.</summary>
    public int Seed { get; init; }

    /// <summary>Gets the number of rows per model call.</summary>
    public int BatchSize { get; init; } = ConditionalInnTrainerOptions.Defaults.ScoringBatchSize;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting and what is expected.</summary>
    internal void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(ConditionColumnName), ConditionColumnName), (nameof(SeedColumnName), SeedColumnName), (nameof(OutputColumnName), OutputColumnName) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"{name} must name a column", name);
            }
        }

        if (ImagesPerRow is < 1 or > MaxImagesPerRow)
        {
            throw new ArgumentOutOfRangeException(nameof(ImagesPerRow), ImagesPerRow, string.Create(CultureInfo.InvariantCulture, $"ImagesPerRow must be between 1 and {MaxImagesPerRow}"));
        }

        if (!(Temperature >= 0) || double.IsInfinity(Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be a finite number ≥ 0");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchSize, GlowTrainerOptions.MaximumScoringBatchSize, nameof(BatchSize));
    }
}
