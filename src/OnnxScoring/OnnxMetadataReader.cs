using System.Globalization;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// Reads the <c>mlnetflows.*</c> metadata entries of an exported file, each failure an <see cref="InvalidDataException"/>
/// naming the file and the entry: a missing entry says the file is not <c>what</c> and how to export one.
/// </summary>
internal sealed class OnnxMetadataReader(IReadOnlyDictionary<string, string> metadata, string file, string what, string exportCommand)
{
    /// <summary>The prefix of every metadata key MLNetFlows writes.</summary>
    public const string Prefix = "mlnetflows.";

    /// <summary>The entry <paramref name="key"/> (without the prefix).</summary>
    public string Get(string key) => metadata.TryGetValue(Prefix + key, out var value)
        ? value
        : throw new InvalidDataException($"'{file}' is not {what} exported by MLNetFlows: its ONNX metadata has no '{Prefix}{key}' entry (export one with '{exportCommand}')");

    /// <summary>The entry <paramref name="key"/>, or <paramref name="fallback"/> when the file has none.</summary>
    public string GetOrDefault(string key, string fallback) => metadata.TryGetValue(Prefix + key, out var value) ? value : fallback;

    /// <summary>The entry <paramref name="key"/> as a positive integer.</summary>
    public int Positive(string key) => int.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
        ? v
        : throw new InvalidDataException($"'{file}': the metadata entry '{Prefix}{key}' is '{Get(key)}', expected a positive integer");

    /// <summary>The bits per pixel (1 to 8).</summary>
    public int Bits() => Positive("bits") is var bits && bits <= 8
        ? bits
        : throw new InvalidDataException($"'{file}': '{Prefix}bits' is {Get("bits")}, expected 1 to 8");

    /// <summary>Checks that the file was written in metadata format <paramref name="version"/>.</summary>
    public void RequireFormat(int version)
    {
        var format = Positive("format");
        if (format != version)
        {
            throw new InvalidDataException($"'{file}' was exported in metadata format {format}; this version of MLNetFlows reads format {version}: export it again with this version");
        }
    }
}
