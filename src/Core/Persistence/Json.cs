using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNetFlows.Persistence;

/// <summary>Strict readers of manifest JSON: each failure is a <see cref="ModelFormatException"/> saying where and "expected X, got Y".</summary>
internal static class Json
{
    public static string Describe(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{Truncate(v.ToString())}\"",
            JsonValueKind.Number => $"the number {v}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {v}",
            _ => "null",
        },
        _ => "an unknown node",
    };

    public static JsonObject RequiredObject(JsonObject obj, string name, string where) =>
        obj[name] as JsonObject ?? throw Expected(where, name, "an object", obj[name]);

    public static JsonArray RequiredArray(JsonObject obj, string name, string where) =>
        obj[name] as JsonArray ?? throw Expected(where, name, "an array", obj[name]);

    public static string RequiredString(JsonObject obj, string name, string where) =>
        obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Expected(where, name, "a string", obj[name]);

    public static long RequiredInt64(JsonObject obj, string name, string where) =>
        obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long l) ? l
        : obj[name] is JsonValue w && w.GetValueKind() == JsonValueKind.Number && long.TryParse(w.ToJsonString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long p) ? p
        : throw Expected(where, name, "an integer", obj[name]);

    public static int RequiredInt32(JsonObject obj, string name, string where)
    {
        long value = RequiredInt64(obj, name, where);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Expected(where, name, "a 32-bit integer", obj[name]);
    }

    public static double RequiredDouble(JsonObject obj, string name, string where) =>
        obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
        : throw Expected(where, name, "a number", obj[name]);

    public static bool RequiredBoolean(JsonObject obj, string name, string where) =>
        obj[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>()
        : throw Expected(where, name, "a boolean", obj[name]);

    public static string[] RequiredStringArray(JsonObject obj, string name, string where)
    {
        JsonArray array = RequiredArray(obj, name, where);
        return [.. array.Select((n, i) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Expected(where, $"{name}[{i}]", "a string", n))];
    }

    public static int[] RequiredInt32Array(JsonObject obj, string name, string where)
    {
        JsonArray array = RequiredArray(obj, name, where);
        var result = new int[array.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = RequiredInt32(new JsonObject { ["v"] = array[i]?.DeepClone() }, "v", $"{where}.{name}[{i}]");
        }

        return result;
    }

    private static ModelFormatException Expected(string where, string name, string expected, JsonNode? actual) =>
        new($"{where}: expected '{name}' to be {expected}, got {Describe(actual)}.");

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
