using System.Text.Json.Nodes;
using Microsoft.ML;

namespace MLNetFlows.Persistence;

/// <summary>
/// Collects what a transformer saves: named parameters (written to the manifest) and binary entries such as
/// safetensors weights. <see cref="Save"/> writes them through ML.NET's <see cref="ModelSaveContext"/> in the layout
/// <see cref="ModelManifest"/> documents.
/// </summary>
internal sealed class ModelWriter
{
    private readonly JsonObject _parameters = [];
    private readonly List<(string Name, byte[] Content)> _entries = [];

    private ModelWriter()
    {
    }

    /// <summary>Sets a text parameter.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="value">The value.</param>
    public void Set(string name, string value) => _parameters[name] = value;

    /// <summary>Sets an integer parameter.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="value">The value.</param>
    public void Set(string name, long value) => _parameters[name] = value;

    /// <summary>Sets a number parameter (NaN and infinities are kept).</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="value">The value.</param>
    public void Set(string name, double value) => _parameters[name] = value;

    /// <summary>Sets a Boolean parameter.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="value">The value.</param>
    public void Set(string name, bool value) => _parameters[name] = value;

    /// <summary>Sets a structured parameter (a JSON object or array).</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="value">The value, copied.</param>
    public void Set(string name, JsonNode value) => _parameters[name] = value.DeepClone();

    /// <summary>Adds a binary entry beside the manifest.</summary>
    /// <param name="name">Entry name (see <see cref="ModelManifest.IsValidEntryName"/>).</param>
    /// <param name="content">The content.</param>
    public void AddEntry(string name, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!ModelManifest.IsValidEntryName(name) || _entries.Any(e => e.Name == name))
        {
            throw new ArgumentException($"'{name}' cannot name an entry: use 1 to 100 ASCII letters, digits, '.', '_' or '-', unique within the component", nameof(name));
        }

        _entries.Add((name, content));
    }

    /// <summary>Saves a component: ML.NET's header for <paramref name="kind"/>, the manifest, then the entries.</summary>
    /// <param name="ctx">The context ML.NET passed to <c>ICanSaveModel.Save</c>.</param>
    /// <param name="kind">The component's signatures and versions.</param>
    /// <param name="write">Fills the writer.</param>
    public static void Save(ModelSaveContext ctx, PersistedModelKind kind, Action<ModelWriter> write)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(kind);
        var writer = new ModelWriter();
        write(writer);
        var manifest = new ModelManifest(kind.LoaderSignature, writer._parameters, [.. writer._entries.Select(e => ModelManifest.Describe(e.Name, e.Content))]);
        MLNetInternals.BeginSave(ctx, kind);
        var bytes = manifest.ToUtf8();
        MLNetInternals.SaveBinaryStream(ctx, ModelManifest.EntryName, w => w.Write(bytes));
        foreach (var (name, content) in writer._entries)
        {
            MLNetInternals.SaveBinaryStream(ctx, name, w => w.Write(content));
        }
    }
}
