using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>Reads the pixel column of a data view into a UInt8 tensor [N, C, H, W] for the training loop.</summary>
internal static class InfoGanTrainingData
{
    /// <summary>Reads every row (values must be pixel levels in [0, 255]; they are rounded to bytes). The caller disposes the tensor.</summary>
    public static Tensor Read(IDataView data, DataViewSchema.Column column, int channels, int height, int width)
    {
        var dims = channels * height * width;
        var bytes = new List<byte>();
        var values = new float[dims];
        long rows = 0;
        using (var cursor = data.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                if (value.Length != dims)
                {
                    throw new InvalidDataException($"row {rows} of column '{column.Name}' has {value.Length} values, expected {dims}");
                }

                InfoGanColumns.CopyPixels(column.Name, value, values);
                foreach (var v in values)
                {
                    bytes.Add((byte)MathF.Round(v));
                }

                rows++;
            }
        }

        if (rows < 2)
        {
            throw new InvalidDataException($"column '{column.Name}' has {rows} row(s); InfoGAN needs at least 2 images to train on (batch normalisation)");
        }

        return tensor(bytes.ToArray(), [rows, channels, height, width], ScalarType.Byte);
    }
}
