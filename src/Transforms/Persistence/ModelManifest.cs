using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MLNetFlows.Persistence;

/// <summary>
/// The manifest of a saved MLNetFlows component: entry <see cref="EntryName"/> in the component's directory of the
/// model zip (e.g. <c>TransformerChain/Transform_003/manifest.json</c>), UTF-8 JSON. Binary format, version 1:
/// <code>
/// { "format": "mlnetflows.transformer", "formatVersion": 1, "kind": "&lt;loader signature&gt;",
///   "parameters": { ... component settings ... },
///   "entries": [ { "name": "weights.safetensors", "bytes": 1234, "sha256": "&lt;hex&gt;" } ] }
/// </code>
/// Every other entry of the component is listed with its size and SHA-256, checked before the content is used.
/// The component's <c>Model.key</c> holds ML.NET's header and an empty body. Weights are safetensors files, readable
/// from Python with <c>safetensors.torch.load(zipfile.ZipFile(path).read(name))</c>.
/// </summary>
internal sealed class ModelManifest
{
    /// <summary>The manifest's entry name.</summary>
    public const string EntryName = "manifest.json";

    /// <summary>The format name.</summary>
    public const string Format = "mlnetflows.transformer";

    /// <summary>The format version written and the newest one read.</summary>
    public const int FormatVersion = 1;

    /// <summary>The largest manifest read (bytes).</summary>
    public const int MaxBytes = 1 << 20;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Initializes a new instance.</summary>
    /// <param name="kind">The loader signature of the component.</param>
    /// <param name="parameters">The component's settings.</param>
    /// <param name="entries">The other entries of the component.</param>
    public ModelManifest(string kind, JsonObject parameters, IReadOnlyList<ManifestEntry> entries)
    {
        Kind = kind;
        Parameters = parameters;
        Entries = entries;
    }

    /// <summary>Gets the loader signature of the component.</summary>
    public string Kind { get; }

    /// <summary>Gets the component's settings.</summary>
    public JsonObject Parameters { get; }

    /// <summary>Gets the other entries of the component.</summary>
    public IReadOnlyList<ManifestEntry> Entries { get; }

    /// <summary>Whether <paramref name="name"/> can name an entry: 1–100 ASCII letters, digits, '.', '_' or '-', not the manifest or ML.NET's streams.</summary>
    /// <param name="name">A proposed entry name.</param>
    public static bool IsValidEntryName(string name) =>
        name is { Length: >= 1 and <= 100 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
        && name != EntryName && !name.StartsWith("Model.", StringComparison.Ordinal) && name.Trim('.').Length > 0;

    /// <summary>Describes an entry's content.</summary>
    /// <param name="name">The entry name.</param>
    /// <param name="content">The entry content.</param>
    public static ManifestEntry Describe(string name, byte[] content) => new(name, content.LongLength, Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>Parses and checks a manifest; <paramref name="error"/> makes the exception for a problem.</summary>
    /// <param name="utf8">The manifest bytes.</param>
    /// <param name="error">Makes an exception from a description of the problem.</param>
    public static ModelManifest Parse(byte[] utf8, Func<string, Exception> error)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(utf8) as JsonObject ?? throw error($"'{EntryName}' is not a JSON object");
        }
        catch (JsonException e)
        {
            throw error($"'{EntryName}' is not valid JSON: {e.Message}");
        }

        if (Text(root, "format") != Format)
        {
            throw error($"'{EntryName}' has format '{Text(root, "format")}', expected '{Format}'");
        }

        var version = root["formatVersion"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : -1;
        if (version is < 1 or > FormatVersion)
        {
            throw error(string.Create(CultureInfo.InvariantCulture, $"'{EntryName}' has format version {version}; this library reads versions 1 to {FormatVersion}"));
        }

        var parameters = root["parameters"] as JsonObject ?? throw error($"'{EntryName}' has no 'parameters' object");
        var entries = new List<ManifestEntry>();
        foreach (var node in root["entries"] as JsonArray ?? throw error($"'{EntryName}' has no 'entries' array"))
        {
            var name = node is JsonObject entry ? Text(entry, "name") : null;
            var bytes = node?["bytes"] is JsonValue b && b.TryGetValue<long>(out var size) ? size : -1;
            var hash = node is JsonObject e2 ? Text(e2, "sha256") : null;
            if (name is null || !IsValidEntryName(name) || bytes < 0 || hash is not { Length: 64 } || entries.Any(x => x.Name == name))
            {
                throw error($"'{EntryName}' lists an invalid entry: {node?.ToJsonString()}");
            }

            entries.Add(new ManifestEntry(name, bytes, hash));
        }

        return new ModelManifest(Text(root, "kind") ?? throw error($"'{EntryName}' names no 'kind'"), parameters, entries);
    }

    /// <summary>Serializes the manifest as UTF-8 JSON.</summary>
    public byte[] ToUtf8()
    {
        var root = new JsonObject
        {
            ["format"] = Format,
            ["formatVersion"] = FormatVersion,
            ["kind"] = Kind,
            ["parameters"] = Parameters.DeepClone(),
            ["entries"] = new JsonArray([.. Entries.Select(e => (JsonNode)new JsonObject { ["name"] = e.Name, ["bytes"] = e.Bytes, ["sha256"] = e.Sha256 })]),
        };
        return Encoding.UTF8.GetBytes(root.ToJsonString(Options));
    }

    private static string? Text(JsonObject node, string name) => node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>An entry of a saved component, as listed in its manifest.</summary>
/// <param name="Name">The entry name within the component's directory.</param>
/// <param name="Bytes">The content's length.</param>
/// <param name="Sha256">The content's SHA-256, lower-case hex.</param>
internal sealed record ManifestEntry(string Name, long Bytes, string Sha256);
