using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNetFlows.Persistence;

/// <summary>
/// What a loader reads: the checked manifest's parameters and the entries it lists. Every accessor validates what it
/// returns and throws a <see cref="ModelFormatException"/> naming the component's directory, the parameter or entry
/// and the problem; entries are read with their declared size as a cap and checked against their SHA-256 before use.
/// </summary>
internal sealed class ModelReader
{
    private readonly object _context;
    private readonly ModelManifest _manifest;

    private ModelReader(object context, string directory, ModelManifest manifest)
    {
        _context = context;
        Directory = directory;
        _manifest = manifest;
    }

    /// <summary>Gets the component's directory in the model file, e.g. <c>TransformerChain/Transform_003</c>.</summary>
    public string Directory { get; }

    /// <summary>Gets a text parameter.</summary>
    /// <param name="name">Parameter name.</param>
    public string GetString(string name) => Value(name).TryGetValue<string>(out var text) ? text : throw Invalid(name, "text");

    /// <summary>Gets an integer parameter within [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="minimum">The smallest accepted value.</param>
    /// <param name="maximum">The largest accepted value.</param>
    public int GetInt32(string name, int minimum = int.MinValue, int maximum = int.MaxValue) =>
        Value(name).TryGetValue<int>(out var n) && n >= minimum && n <= maximum
            ? n
            : throw Invalid(name, string.Create(CultureInfo.InvariantCulture, $"an integer in [{minimum}, {maximum}]"));

    /// <summary>Gets a 64-bit integer parameter within [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="minimum">The smallest accepted value.</param>
    /// <param name="maximum">The largest accepted value.</param>
    public long GetInt64(string name, long minimum = long.MinValue, long maximum = long.MaxValue) =>
        Value(name).TryGetValue<long>(out var n) && n >= minimum && n <= maximum
            ? n
            : throw Invalid(name, string.Create(CultureInfo.InvariantCulture, $"an integer in [{minimum}, {maximum}]"));

    /// <summary>Gets a Boolean parameter.</summary>
    /// <param name="name">Parameter name.</param>
    public bool GetBoolean(string name) => Value(name).TryGetValue<bool>(out var b) ? b : throw Invalid(name, "true or false");

    /// <summary>Gets a number parameter (NaN and infinities as written by <see cref="ModelWriter"/>).</summary>
    /// <param name="name">Parameter name.</param>
    public double GetDouble(string name)
    {
        var value = Value(name);
        if (value.TryGetValue<double>(out var number))
        {
            return number;
        }

        return value.TryGetValue<string>(out var text) && text is "NaN" or "Infinity" or "-Infinity"
            ? double.Parse(text, CultureInfo.InvariantCulture)
            : throw Invalid(name, "a number");
    }

    /// <summary>Gets an enum parameter saved by name.</summary>
    /// <typeparam name="T">The enum type.</typeparam>
    /// <param name="name">Parameter name.</param>
    public T GetEnum<T>(string name)
        where T : struct, Enum =>
        Enum.TryParse<T>(GetString(name), ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw Invalid(name, $"one of {string.Join(", ", Enum.GetNames<T>())}");

    /// <summary>Gets a structured parameter deserialized as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The parameter's type.</typeparam>
    /// <param name="name">Parameter name.</param>
    /// <param name="options">Serializer options.</param>
    public T GetObject<T>(string name, JsonSerializerOptions options)
    {
        var node = _manifest.Parameters[name] ?? throw Error($"parameter '{name}' is missing");
        try
        {
            return node.Deserialize<T>(options) ?? throw Invalid(name, typeof(T).Name);
        }
        catch (JsonException e)
        {
            throw Error($"parameter '{name}' is not a valid {typeof(T).Name}: {e.Message}");
        }
    }

    /// <summary>Reads an entry listed in the manifest, checking its size and SHA-256.</summary>
    /// <param name="name">Entry name.</param>
    public byte[] ReadEntry(string name) => ReadEntry(name, entry =>
    {
        entry.VerifyChecksum();
        var content = new byte[entry.Length];
        entry.Content.ReadExactly(content);
        return content;
    });

    /// <summary>
    /// Opens an entry listed in the manifest and hands it to <paramref name="read"/> before any of its content is read:
    /// the name must be listed and the stored length must equal the declared size (checked from the stream's length, or
    /// while copying at most the declared size when ML.NET hands over a stream that cannot seek or does not start at 0). <paramref name="read"/>
    /// must call <see cref="ModelEntry.VerifyChecksum"/> before it trusts the content; a reader that does not is a
    /// programming error (<see cref="InvalidOperationException"/>).
    /// </summary>
    /// <typeparam name="T">What <paramref name="read"/> makes of the entry.</typeparam>
    /// <param name="name">Entry name.</param>
    /// <param name="read">Checks and reads the entry.</param>
    public T ReadEntry<T>(string name, Func<ModelEntry, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var declared = DeclaredEntry(name);
        ModelEntry? opened = null;
        T result = default!;
        var found = MLNetInternals.TryLoadBinaryStream(_context, name, r =>
        {
            var stream = r.BaseStream;
            if (!stream.CanSeek || stream.Position != 0)
            {
                var copy = ReadCapped(stream, declared.Bytes);
                stream = copy is null ? Stream.Null : new MemoryStream(copy, writable: false);
            }

            var length = stream.Length;
            if (length != declared.Bytes)
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"the entry '{name}' is not the {declared.Bytes} bytes the manifest declares"));
            }

            opened = new ModelEntry(name, stream, declared.Sha256, Error);
            result = read(opened);
        });
        if (!found)
        {
            throw Error($"the entry '{name}' is missing");
        }

        return opened!.IsVerified
            ? result
            : throw new InvalidOperationException($"the reader of entry '{name}' did not verify its checksum (call ModelEntry.VerifyChecksum before using the content)");
    }

    /// <summary>An exception describing a problem with this component.</summary>
    /// <param name="problem">What is wrong.</param>
    public ModelFormatException Error(string problem) => new($"the MLNetFlows component '{_manifest.Kind}' at '{Directory}' of the model file is invalid: {problem}");

    /// <summary>Reads the component ML.NET is loading: checks the header, then reads and checks the manifest.</summary>
    /// <param name="context">The internal <c>ModelLoadContext</c>.</param>
    /// <param name="kind">The kind expected.</param>
    public static ModelReader Open(object context, PersistedModelKind kind)
    {
        MLNetInternals.BeginLoad(context, kind);
        var directory = MLNetInternals.LoadDirectory(context);
        ModelFormatException Fail(string problem) => new($"the MLNetFlows component '{kind.LoaderSignature}' at '{directory}' of the model file is invalid: {problem}");
        byte[]? bytes = null;
        if (!MLNetInternals.TryLoadBinaryStream(context, ModelManifest.EntryName, r => bytes = ReadCapped(r.BaseStream, ModelManifest.MaxBytes)))
        {
            throw Fail($"the entry '{ModelManifest.EntryName}' is missing");
        }

        var manifest = ModelManifest.Parse(bytes ?? throw Fail($"'{ModelManifest.EntryName}' is larger than {ModelManifest.MaxBytes} bytes"), Fail);
        return manifest.Kind == kind.LoaderSignature
            ? new ModelReader(context, directory, manifest)
            : throw Fail($"the manifest names kind '{manifest.Kind}', expected '{kind.LoaderSignature}'");
    }

    /// <summary>
    /// The stream's content, or null when it exceeds <paramref name="limit"/> bytes. A stream that knows its length
    /// (ML.NET hands entries over as seekable streams) is checked before anything is allocated and read into one array
    /// of exactly its size.
    /// </summary>
    private static byte[]? ReadCapped(Stream stream, long limit)
    {
        if (stream.CanSeek)
        {
            var length = stream.Length - stream.Position;
            if (length > limit)
            {
                return null;
            }

            var content = new byte[length];
            stream.ReadExactly(content);
            return stream.ReadByte() < 0 ? content : null;
        }

        using var copy = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (copy.Length + read > limit)
            {
                return null;
            }

            copy.Write(chunk, 0, read);
        }

        return copy.ToArray();
    }

    private ManifestEntry DeclaredEntry(string name) =>
        _manifest.Entries.FirstOrDefault(e => e.Name == name) ?? throw Error($"the manifest lists no entry '{name}'");

    private JsonValue Value(string name) => _manifest.Parameters[name] as JsonValue ?? throw Error($"parameter '{name}' is missing or not a single value");

    private ModelFormatException Invalid(string name, string expected) =>
        Error($"parameter '{name}' is {_manifest.Parameters[name]?.ToJsonString() ?? "missing"}, expected {expected}");
}
