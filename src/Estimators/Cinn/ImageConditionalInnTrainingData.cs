using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Glow;
using MLNetFlows.Trainers.Cinn;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Reads the pixel and condition-image columns into UInt8 pixels [N, C, H, W] (rounded; values must lie in [0, 255]) and
/// Float32 condition images [N, Cc, H, W] (kept exact, as scoring sees them), and makes the seeded validation split.
/// </summary>
internal sealed class ImageConditionalInnTrainingData : IDisposable
{
    private ImageConditionalInnTrainingData(Tensor train, Tensor trainConditions, Tensor? validation, Tensor? validationConditions)
    {
        (Train, TrainConditions, Validation, ValidationConditions) = (train, trainConditions, validation, validationConditions);
    }

    public Tensor Train { get; }

    public Tensor TrainConditions { get; }

    public Tensor? Validation { get; }

    public Tensor? ValidationConditions { get; }

    public static ImageConditionalInnTrainingData Read(IDataView data, DataViewSchema.Column features, DataViewSchema.Column condition, ConditionalInnTrainerOptions options, int seed)
    {
        var dims = options.Channels * options.ImageHeight * options.ImageWidth;
        var conditionDims = options.ConditionImageChannels * options.ImageHeight * options.ImageWidth;
        var bytes = new List<byte>();
        var conditions = new List<float>();
        var rows = 0;
        using (var cursor = data.GetRowCursor([features, condition]))
        {
            var pixelGetter = cursor.GetGetter<VBuffer<float>>(features);
            var conditionGetter = cursor.GetGetter<VBuffer<float>>(condition);
            VBuffer<float> value = default;
            var pixelRow = new float[dims];
            var conditionRow = new float[conditionDims];
            while (cursor.MoveNext())
            {
                pixelGetter(ref value);
                GlowScoringMapper.CopyPixels(features.Name, value, pixelRow);
                foreach (var v in pixelRow)
                {
                    bytes.Add((byte)MathF.Round(v));
                }

                conditionGetter(ref value);
                GlowScoringMapper.CopyPixels(condition.Name, value, conditionRow);
                conditions.AddRange(conditionRow);
                rows++;
            }
        }

        if (rows == 0)
        {
            throw new InvalidDataException($"column '{features.Name}' has no rows to train on");
        }

        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(order);
        var validationCount = (int)(rows * options.ValidationFraction);
        if (rows - validationCount < 1)
        {
            throw new InvalidDataException($"ValidationFraction {options.ValidationFraction} leaves no training rows out of {rows}");
        }

        var (allPixels, allConditions) = (bytes.ToArray(), conditions.ToArray());
        var (validation, validationConditions) = validationCount > 0 ? Gather(allPixels, allConditions, order.AsSpan(0, validationCount), options) : (null, null);
        var (train, trainConditions) = Gather(allPixels, allConditions, order.AsSpan(validationCount), options);
        return new ImageConditionalInnTrainingData(train, trainConditions, validation, validationConditions);
    }

    public void Dispose()
    {
        Train.Dispose();
        TrainConditions.Dispose();
        Validation?.Dispose();
        ValidationConditions?.Dispose();
    }

    private static (Tensor Pixels, Tensor Conditions) Gather(byte[] pixels, float[] conditions, ReadOnlySpan<int> rows, ConditionalInnTrainerOptions options)
    {
        var (height, width) = (options.ImageHeight, options.ImageWidth);
        var dims = options.Channels * height * width;
        var conditionDims = options.ConditionImageChannels * height * width;
        var selected = new byte[rows.Length * dims];
        var selectedConditions = new float[rows.Length * conditionDims];
        for (var i = 0; i < rows.Length; i++)
        {
            pixels.AsSpan(rows[i] * dims, dims).CopyTo(selected.AsSpan(i * dims));
            conditions.AsSpan(rows[i] * conditionDims, conditionDims).CopyTo(selectedConditions.AsSpan(i * conditionDims));
        }

        return (tensor(selected, [rows.Length, options.Channels, height, width], ScalarType.Byte),
            tensor(selectedConditions, [rows.Length, options.ConditionImageChannels, height, width]));
    }
}
