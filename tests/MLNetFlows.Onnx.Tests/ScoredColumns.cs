using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Onnx.Tests;

/// <summary>Reads whole columns of a scored data view into arrays (vectors flattened row after row).</summary>
internal static class ScoredColumns
{
    public static float[] Floats(IDataView data, string name)
    {
        var column = data.Schema[name];
        var values = new List<float>();
        using var cursor = data.GetRowCursor([column]);
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> row = default;
            while (cursor.MoveNext())
            {
                getter(ref row);
                values.AddRange(row.DenseValues());
            }
        }
        else
        {
            var getter = cursor.GetGetter<float>(column);
            float value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                values.Add(value);
            }
        }

        return [.. values];
    }

    public static bool[] Booleans(IDataView data, string name)
    {
        var column = data.Schema[name];
        var values = new List<bool>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<bool>(column);
        var value = false;
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(value);
        }

        return [.. values];
    }

    /// <summary>The largest |a − b| over two equally long arrays.</summary>
    public static double MaxDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs((double)x - y)).DefaultIfEmpty(0).Max();
    }
}
