using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Trainers.Glow;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Glow;

/// <summary>Reads the pixel column of a data view into UInt8 tensors [N, C, H, W] and splits off validation rows.</summary>
internal static class GlowTrainingData
{
    /// <summary>
    /// Reads every row (values must be pixel levels in [0, 255]; they are rounded to bytes) and holds out
    /// ⌊N·ValidationFraction⌋ rows chosen by <paramref name="seed"/>. The caller disposes the tensors.
    /// </summary>
    public static (Tensor Train, Tensor? Validation) Read(IDataView data, DataViewSchema.Column column, GlowTrainerOptions options, int seed)
    {
        var dims = options.Channels * options.ImageHeight * options.ImageWidth;
        var bytes = new List<byte>();
        long rows = 0;
        using (var cursor = data.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                var values = value.DenseValues().ToArray();
                if (values.Length != dims)
                {
                    throw new InvalidDataException($"row {rows} of column '{column.Name}' has {values.Length} values, expected {dims}");
                }

                foreach (var v in values)
                {
                    if (!(v >= 0 && v <= 255))
                    {
                        throw new InvalidDataException($"row {rows} of column '{column.Name}' holds {v}; Glow trains on pixel values in [0, 255] (ExtractPixels with offsetImage 0 and scaleImage 1)");
                    }

                    bytes.Add((byte)MathF.Round(v));
                }

                rows++;
            }
        }

        if (rows == 0)
        {
            throw new InvalidDataException($"column '{column.Name}' has no rows to train on");
        }

        var order = Enumerable.Range(0, (int)rows).ToArray();
        new Random(seed).Shuffle(order);
        var validationCount = (int)(rows * options.ValidationFraction);
        if (rows - validationCount < 1)
        {
            throw new InvalidDataException($"ValidationFraction {options.ValidationFraction} leaves no training rows out of {rows}");
        }

        var all = bytes.ToArray();
        var validation = validationCount > 0 ? Gather(all, order.AsSpan(0, validationCount), options) : null;
        return (Gather(all, order.AsSpan(validationCount), options), validation);
    }

    private static Tensor Gather(byte[] all, ReadOnlySpan<int> rows, GlowTrainerOptions options)
    {
        var dims = options.Channels * options.ImageHeight * options.ImageWidth;
        var selected = new byte[rows.Length * dims];
        for (var i = 0; i < rows.Length; i++)
        {
            all.AsSpan(rows[i] * dims, dims).CopyTo(selected.AsSpan(i * dims));
        }

        return tensor(selected, [rows.Length, options.Channels, options.ImageHeight, options.ImageWidth], ScalarType.Byte);
    }
}
