using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace MLNetFlows.Onnx.Tests;

/// <summary>Runs a whole batch through an exported file in ONNX Runtime (graph optimisations on) by input and output names.</summary>
internal static class OnnxInputs
{
    public static Dictionary<string, float[]> RunFloats(string path, IReadOnlyDictionary<string, (float[] Values, long[] Shape)> inputs, params string[] outputs)
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        Run(path, inputs, outputs, (name, value) => result[name] = value.GetTensorDataAsSpan<float>().ToArray());
        return result;
    }

    public static long[] RunInt64(string path, IReadOnlyDictionary<string, (float[] Values, long[] Shape)> inputs, string output)
    {
        long[] result = [];
        Run(path, inputs, [output], (_, value) => result = value.GetTensorDataAsSpan<long>().ToArray());
        return result;
    }

    /// <summary>One-hot float rows [N, K] of 0-based classes.</summary>
    public static float[] OneHot(IReadOnlyList<int> classes, int count)
    {
        var values = new float[classes.Count * count];
        for (var i = 0; i < classes.Count; i++)
        {
            values[(i * count) + classes[i]] = 1;
        }

        return values;
    }

    /// <summary>The 0-based classes of a key column (key value − 1).</summary>
    public static int[] Classes(IDataView data, string name)
    {
        var column = data.Schema[name];
        var values = new List<int>();
        using var cursor = data.GetRowCursor([column]);
        if (column.Type is KeyDataViewType)
        {
            var getter = cursor.GetGetter<uint>(column);
            uint key = 0;
            while (cursor.MoveNext())
            {
                getter(ref key);
                values.Add((int)key - 1);
            }
        }
        else
        {
            var getter = cursor.GetGetter<long>(column);
            long value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                values.Add((int)value);
            }
        }

        return [.. values];
    }

    private static void Run(string path, IReadOnlyDictionary<string, (float[] Values, long[] Shape)> inputs, string[] outputs, Action<string, OrtValue> read)
    {
        using var session = OnnxRun.Open(path);
        var values = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(i.Value.Values, i.Value.Shape)).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [.. inputs.Keys], values, outputs);
            for (var i = 0; i < outputs.Length; i++)
            {
                read(outputs[i], results[i]);
            }
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }
}
