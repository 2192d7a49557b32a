using System.IO.Compression;
using System.Text.Json.Nodes;

namespace MLNetFlows.Persistence;

/// <summary>
/// What a transformer writes when saved: its kind and version (<see cref="SetVersionInfo"/>), JSON
/// <see cref="Parameters"/>, named binary entries (e.g. weights as safetensors) and nested steps.
/// See <see cref="ModelOperationsCatalog"/> for the file layout.
/// </summary>
public sealed class ModelSaveContext
{
    private readonly ZipArchive _zip;
    private readonly string _path;
    private readonly List<string> _entries = [];
    private readonly List<JsonObject> _steps = [];
    private string? _kind;
    private int _version;

    private ModelSaveContext(ZipArchive zip, string path)
    {
        _zip = zip;
        _path = path;
    }

    /// <summary>Gets the parameters object written to the manifest (hyper-parameters, column names, ...).</summary>
    public JsonObject Parameters { get; } = [];

    /// <summary>Sets the persisted kind (the key of the loader in <see cref="ModelLoaderRegistry"/>) and format version.</summary>
    /// <param name="kind">The kind, e.g. the transformer's type name.</param>
    /// <param name="version">The format version of this kind's parameters and entries (positive).</param>
    public void SetVersionInfo(string kind, int version)
    {
        Guard.NotNullOrEmpty(kind);
        Guard.MustBeGreaterThan(version, 0);
        _kind = kind;
        _version = version;
    }

    /// <summary>Creates a binary entry and returns a stream to write it.</summary>
    /// <param name="name">The entry name, local to this step: letters, digits, '.', '_', '-'.</param>
    /// <returns>A writable stream; dispose it before creating the next entry.</returns>
    public Stream CreateEntry(string name)
    {
        EntryNames.CheckLocalName(name);
        Guard.IsTrue(!_entries.Contains(name), "a new entry name", $"'{name}' written twice", nameof(name));
        _entries.Add(name);
        return _zip.CreateEntry(_path + name, CompressionLevel.Fastest).Open();
    }

    /// <summary>Writes a binary entry.</summary>
    /// <param name="name">The entry name, local to this step.</param>
    /// <param name="data">The bytes.</param>
    public void WriteEntry(string name, ReadOnlySpan<byte> data)
    {
        using Stream stream = CreateEntry(name);
        stream.Write(data);
    }

    /// <summary>Saves a nested step (e.g. an element of a chain); loaders read them back in order with <see cref="ModelLoadContext.LoadSteps"/>.</summary>
    /// <param name="step">The nested transformer.</param>
    public void SaveStep(ICanSaveModel step) =>
        _steps.Add(Save(_zip, $"{_path}steps/{_steps.Count}/", Guard.NotNull(step)));

    internal static JsonObject Save(ZipArchive zip, string path, ICanSaveModel model)
    {
        var ctx = new ModelSaveContext(zip, path);
        model.Save(ctx);
        if (ctx._kind is null)
        {
            throw new InvalidOperationException($"{model.GetType().Name}.Save did not call SetVersionInfo: every saved step needs a kind and a version.");
        }

        return new JsonObject
        {
            ["kind"] = ctx._kind,
            ["version"] = ctx._version,
            ["assembly"] = model.GetType().Assembly.GetName().Name,
            ["parameters"] = ctx.Parameters,
            ["entries"] = new JsonArray([.. ctx._entries.Select(e => (JsonNode)e)]),
            ["steps"] = new JsonArray([.. ctx._steps]),
        };
    }
}
