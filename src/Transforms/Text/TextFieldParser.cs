using System.Globalization;
using MLNetFlows.Data;

namespace MLNetFlows.Transforms.Text;

/// <summary>Parses one field as a <see cref="DataKind"/>: numbers in the invariant culture; empty floats are NaN (missing).</summary>
internal static class TextFieldParser
{
    public delegate bool TryParse<T>(ReadOnlySpan<char> text, out T value);

    public static Delegate For(DataKind kind) => kind switch
    {
        DataKind.Byte => (TryParse<byte>)((ReadOnlySpan<char> s, out byte v) => byte.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v)),
        DataKind.Int32 => (TryParse<int>)((ReadOnlySpan<char> s, out int v) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v)),
        DataKind.UInt32 => (TryParse<uint>)((ReadOnlySpan<char> s, out uint v) => uint.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v)),
        DataKind.Int64 => (TryParse<long>)((ReadOnlySpan<char> s, out long v) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v)),
        DataKind.Single => (TryParse<float>)((ReadOnlySpan<char> s, out float v) => s.IsWhiteSpace() ? Missing(out v) : float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v)),
        DataKind.Double => (TryParse<double>)((ReadOnlySpan<char> s, out double v) => s.IsWhiteSpace() ? Missing(out v) : double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v)),
        DataKind.String => (TryParse<ReadOnlyMemory<char>>)((ReadOnlySpan<char> s, out ReadOnlyMemory<char> v) => throw new InvalidOperationException("text is not parsed")),
        _ => (TryParse<bool>)ParseBoolean,
    };

    private static bool Missing(out float value)
    {
        value = float.NaN;
        return true;
    }

    private static bool Missing(out double value)
    {
        value = double.NaN;
        return true;
    }

    private static bool ParseBoolean(ReadOnlySpan<char> s, out bool value)
    {
        value = s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.SequenceEqual("1");
        return value || s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.SequenceEqual("0");
    }
}
