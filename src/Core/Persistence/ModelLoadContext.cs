using System.IO.Compression;
using System.Text.Json.Nodes;

namespace MLNetFlows.Persistence;

/// <summary>
/// What a loader reads to rebuild a transformer: kind, version, parameters (with strict typed readers), binary
/// entries and nested steps. Every problem is reported as a <see cref="ModelFormatException"/> naming the step.
/// Loaders must read everything they need before returning: the file is closed afterwards.
/// </summary>
public sealed class ModelLoadContext
{
    private readonly ZipArchive _zip;
    private readonly ManifestStep _step;
    private readonly ModelLoadOptions _options;

    internal ModelLoadContext(ZipArchive zip, ManifestStep step, ModelLoadOptions options, MLContext context)
    {
        _zip = zip;
        _step = step;
        _options = options;
        Context = context;
    }

    /// <summary>Gets the context loading the model: loaded transformers that log (e.g. about unreadable images) write to its <see cref="MLContext.Log"/>.</summary>
    public MLContext Context { get; }

    /// <summary>Gets the persisted kind.</summary>
    public string Kind => _step.Kind;

    /// <summary>Gets the persisted format version of this kind.</summary>
    public int Version => _step.Version;

    /// <summary>Gets the parameters object.</summary>
    public JsonObject Parameters => _step.Parameters;

    /// <summary>Gets the number of nested steps.</summary>
    public int StepCount => _step.Steps.Count;

    private string Where => $"model step '{Kind}' at '{_step.Path}'";

    /// <summary>Fails unless <see cref="Version"/> is in [<paramref name="minVersion"/>, <paramref name="maxVersion"/>].</summary>
    /// <param name="minVersion">The oldest version this loader reads.</param>
    /// <param name="maxVersion">The newest version this loader reads.</param>
    public void CheckVersion(int minVersion, int maxVersion)
    {
        if (Version < minVersion || Version > maxVersion)
        {
            throw Error($"expected version {minVersion}–{maxVersion}, got {Version} (written by a different version of MLNetFlows)");
        }
    }

    /// <summary>Creates an exception about this step's content.</summary>
    /// <param name="detail">What is wrong.</param>
    /// <returns>The exception to throw.</returns>
    public ModelFormatException Error(string detail) => new($"{Where}: {detail}.");

    /// <summary>Reads a string parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The value.</returns>
    public string GetString(string name) => Json.RequiredString(Parameters, name, Where);

    /// <summary>Reads a 32-bit integer parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The value.</returns>
    public int GetInt32(string name) => Json.RequiredInt32(Parameters, name, Where);

    /// <summary>Reads a 64-bit integer parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The value.</returns>
    public long GetInt64(string name) => Json.RequiredInt64(Parameters, name, Where);

    /// <summary>Reads a floating point parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The value.</returns>
    public double GetDouble(string name) => Json.RequiredDouble(Parameters, name, Where);

    /// <summary>Reads a boolean parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The value.</returns>
    public bool GetBoolean(string name) => Json.RequiredBoolean(Parameters, name, Where);

    /// <summary>Reads a string array parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The values.</returns>
    public string[] GetStrings(string name) => Json.RequiredStringArray(Parameters, name, Where);

    /// <summary>Reads an integer array parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The values.</returns>
    public int[] GetInt32s(string name) => Json.RequiredInt32Array(Parameters, name, Where);

    /// <summary>Gets a value indicating whether the step wrote an entry named <paramref name="name"/>.</summary>
    /// <param name="name">The local entry name.</param>
    /// <returns>True when present.</returns>
    public bool HasEntry(string name) => _step.Entries.Contains(name);

    /// <summary>Opens an entry for reading; reading past the configured size cap fails.</summary>
    /// <param name="name">The local entry name.</param>
    /// <returns>A read-only stream.</returns>
    public Stream OpenEntry(string name)
    {
        if (!HasEntry(name))
        {
            throw Error($"expected an entry '{name}', got only [{string.Join(", ", _step.Entries)}]");
        }

        ZipArchiveEntry entry = _zip.GetEntry(_step.Path + name) ?? throw Error($"entry '{_step.Path + name}' is listed in the manifest but missing from the zip");
        return new CappedReadStream(entry.Open(), _options.MaxEntryBytes, _step.Path + name);
    }

    /// <summary>Reads a whole entry.</summary>
    /// <param name="name">The local entry name.</param>
    /// <returns>The bytes.</returns>
    public byte[] ReadEntry(string name)
    {
        using Stream stream = OpenEntry(name);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>Loads the nested steps, in the order they were saved.</summary>
    /// <returns>The transformers.</returns>
    public IReadOnlyList<ITransformer> LoadSteps() => [.. _step.Steps.Select(s => ModelReader.LoadStep(_zip, s, _options, Context))];
}
