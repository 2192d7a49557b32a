using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.ConditionalInn.Tests.Colorization;

/// <summary>Tiny colorization data (8 × 8 wallpaper patches, loaded once) and a tiny network to train on it in seconds.</summary>
internal static class ColorizationRows
{
    public const int Side = 8;

    private static readonly Lazy<ColorPatchSet> Patches = new(() => ColorPatches.LoadWallpapers(ColorPatchSplit.Train, patchSize: Side));

    public static ConditionalInnTrainerOptions Options(int epochs = 1) => new()
    {
        ImageHeight = Side, ImageWidth = Side, Channels = 2, Condition = ConditionKind.Image, ConditionImageChannels = 1,
        Levels = 2, BlocksPerLevel = 1, HiddenChannels = 8, ConditionFeatureChannels = 4, BatchSize = 8, NumberOfEpochs = epochs,
        LearningRate = 2e-3, ValidationFraction = 0, ScoringBatchSize = 8, Seed = 1,
    };

    /// <summary>The first <paramref name="count"/> patches as (lightness, chroma) rows.</summary>
    public static Row[] Load(int count, int skip = 0) =>
        [.. Enumerable.Range(skip, count).Select(i =>
        {
            var rgb = Patches.Value.GetRgb(i).ToArray().Select(b => (float)b).ToArray();
            var row = new Row();
            YCbCrColor.FromRgb(rgb, row.Condition, row.Features);
            return row;
        })];

    public static IDataView View(MLContext ml, int count, int skip = 0) => ml.Data.LoadFromEnumerable(Load(count, skip));

    public sealed class Row
    {
        [VectorType(2, Side, Side)]
        public float[] Features { get; set; } = new float[2 * Side * Side];

        [VectorType(1, Side, Side)]
        public float[] Condition { get; set; } = new float[Side * Side];
    }

    public sealed class IntConditionRow
    {
        [VectorType(2, Side, Side)]
        public float[] Features { get; set; } = new float[2 * Side * Side];

        public int Condition { get; set; }
    }

    public sealed class WideConditionRow
    {
        [VectorType(2, Side, Side)]
        public float[] Features { get; set; } = new float[2 * Side * Side];

        [VectorType(2, Side, Side)]
        public float[] Condition { get; set; } = new float[2 * Side * Side];
    }

    public sealed class NoConditionRow
    {
        [VectorType(2, Side, Side)]
        public float[] Features { get; set; } = new float[2 * Side * Side];

        [VectorType(1, Side, Side)]
        public float[] Gray { get; set; } = new float[Side * Side];
    }

    public sealed class GrayOnlyRow
    {
        [VectorType(1, Side, Side)]
        public float[] Condition { get; set; } = new float[Side * Side];
    }
}
