using System.Globalization;
using Microsoft.ML.Data;

namespace MLNetFlows.OnnxScoring;

/// <summary>Copies rows of pixel columns into model inputs, checked as the TorchSharp transformers check them (length, values in [0, 255]).</summary>
internal static class PixelRows
{
    /// <summary>Copies the <paramref name="rows"/> of <paramref name="column"/> into one buffer of rows × <paramref name="size"/> values.</summary>
    public static float[] Copy(string column, ReadOnlySpan<VBuffer<float>> rows, int size)
    {
        var pixels = new float[rows.Length * size];
        for (var i = 0; i < rows.Length; i++)
        {
            Copy(column, rows[i], pixels.AsSpan(i * size, size));
        }

        return pixels;
    }

    /// <summary>Copies one row's pixels into <paramref name="destination"/>, checking their count and range.</summary>
    public static void Copy(string column, in VBuffer<float> row, Span<float> destination)
    {
        if (row.Length != destination.Length)
        {
            throw new InvalidDataException($"column '{column}' has a row of {row.Length} values, expected {destination.Length}");
        }

        if (row.IsDense)
        {
            row.GetValues().CopyTo(destination);
        }
        else
        {
            destination.Clear();
            var indices = row.GetIndices();
            var values = row.GetValues();
            for (var i = 0; i < indices.Length; i++)
            {
                destination[indices[i]] = values[i];
            }
        }

        foreach (var v in destination)
        {
            if (!(v >= 0 && v <= 255))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"column '{column}' holds the value {v}; Glow expects pixel values in [0, 255] (ExtractPixels with offsetImage 0 and scaleImage 1)"));
            }
        }
    }
}
