using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNetFlows.Persistence;

/// <summary>
/// Reads a model zip (layout in <see cref="ModelOperationsCatalog"/>). Validation happens in full before any
/// loader runs: zip structure, entry paths and sizes, manifest JSON, format version, input schema, step kinds,
/// versions and entries. Every failure is a <see cref="ModelFormatException"/>.
/// </summary>
internal static class ModelReader
{
    private const int MaxStepDepth = 32;

    public static ITransformer Load(Stream stream, ModelLoadOptions options, MLContext context, out DataViewSchema? inputSchema)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new ModelFormatException($"Not a model file: the data is not a valid zip archive (truncated or another format): {ex.Message}", ex);
        }

        using (zip)
        {
            CheckEntries(zip, options);
            JsonObject manifest = ReadManifest(zip, options);
            int version = Json.RequiredInt32(manifest, "formatVersion", "manifest");
            if (version != ModelOperationsCatalog.FormatVersion)
            {
                throw new ModelFormatException($"manifest: expected format version {ModelOperationsCatalog.FormatVersion}, got {version} (written by a different version of MLNetFlows).");
            }

            inputSchema = ReadSchema(manifest["inputSchema"]);
            ManifestStep root = ReadStep(zip, Json.RequiredObject(manifest, "model", "manifest"), "model/", 0);
            return LoadStep(zip, root, options, context);
        }
    }

    internal static ITransformer LoadStep(ZipArchive zip, ManifestStep step, ModelLoadOptions options, MLContext context)
    {
        try
        {
            return step.Loader(new ModelLoadContext(zip, step, options, context));
        }
        catch (Exception ex) when (ex is not ModelFormatException and not OutOfMemoryException)
        {
            throw new ModelFormatException($"model step '{step.Kind}' at '{step.Path}' failed to load: {ex.Message}", ex);
        }
    }

    private static void CheckEntries(ZipArchive zip, ModelLoadOptions options)
    {
        if (zip.Entries.Count > options.MaxEntries)
        {
            throw new ModelFormatException($"Model zip has too many entries: expected at most {options.MaxEntries}, got {zip.Entries.Count}.");
        }

        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            if (EntryNames.WhyUnsafe(entry.FullName) is string why)
            {
                throw new ModelFormatException($"Model zip entry '{entry.FullName}' is unsafe: expected a relative path, got {why}.");
            }

            if (entry.Length > options.MaxEntryBytes)
            {
                throw new ModelFormatException($"Model zip entry '{entry.FullName}' is too large: expected at most {options.MaxEntryBytes} bytes, got {entry.Length} (see ModelLoadOptions.MaxEntryBytes).");
            }
        }
    }

    private static JsonObject ReadManifest(ZipArchive zip, ModelLoadOptions options)
    {
        ZipArchiveEntry entry = zip.GetEntry(ModelOperationsCatalog.ManifestEntryName)
            ?? throw new ModelFormatException($"Model zip has no '{ModelOperationsCatalog.ManifestEntryName}': not a model file.");
        if (entry.Length > options.MaxManifestBytes)
        {
            throw new ModelFormatException($"'{ModelOperationsCatalog.ManifestEntryName}' is too large: expected at most {options.MaxManifestBytes} bytes, got {entry.Length}.");
        }

        try
        {
            using var stream = new CappedReadStream(entry.Open(), options.MaxManifestBytes, entry.FullName);
            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
            JsonNode? node = JsonNode.Parse(reader.ReadToEnd(), documentOptions: new JsonDocumentOptions { MaxDepth = 128 });
            return node as JsonObject ?? throw new ModelFormatException($"'{ModelOperationsCatalog.ManifestEntryName}': expected a JSON object, got {Json.Describe(node)}.");
        }
        catch (Exception ex) when (ex is JsonException or DecoderFallbackException)
        {
            throw new ModelFormatException($"'{ModelOperationsCatalog.ManifestEntryName}' is malformed JSON: {ex.Message}", ex);
        }
    }

    private static DataViewSchema? ReadSchema(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray columns)
        {
            throw new ModelFormatException($"manifest: expected 'inputSchema' to be an array or null, got {Json.Describe(node)}.");
        }

        var builder = new DataViewSchema.Builder();
        for (int i = 0; i < columns.Count; i++)
        {
            string where = $"manifest inputSchema[{i}]";
            JsonObject column = columns[i] as JsonObject ?? throw new ModelFormatException($"{where}: expected an object, got {Json.Describe(columns[i])}.");
            string name = Json.RequiredString(column, "name", where);
            if (name.Length == 0)
            {
                throw new ModelFormatException($"{where}: expected a non-empty column name, got an empty string.");
            }

            builder.AddColumn(name, DataViewTypeJson.Read(column["type"], where + ".type"));
        }

        return builder.ToSchema();
    }

    private static ManifestStep ReadStep(ZipArchive zip, JsonObject obj, string path, int depth)
    {
        string where = $"manifest step at '{path}'";
        if (depth > MaxStepDepth)
        {
            throw new ModelFormatException($"{where}: expected steps nested at most {MaxStepDepth} deep, got deeper.");
        }

        string kind = Json.RequiredString(obj, "kind", where);
        int version = Json.RequiredInt32(obj, "version", where);
        if (version < 1)
        {
            throw new ModelFormatException($"{where}: expected a positive version, got {version}.");
        }

        string? assembly = obj["assembly"] is null ? null : Json.RequiredString(obj, "assembly", where);
        JsonObject parameters = Json.RequiredObject(obj, "parameters", where);
        string[] entries = Json.RequiredStringArray(obj, "entries", where);
        foreach (string entry in entries)
        {
            try
            {
                EntryNames.CheckLocalName(entry);
            }
            catch (ArgumentException)
            {
                throw new ModelFormatException($"{where}: expected entry names of letters, digits, '.', '_' and '-', got '{entry}'.");
            }

            if (zip.GetEntry(path + entry) is null)
            {
                throw new ModelFormatException($"{where} ('{kind}'): expected zip entry '{path + entry}', got no such entry (the file is incomplete).");
            }
        }

        JsonArray stepArray = Json.RequiredArray(obj, "steps", where);
        var steps = new List<ManifestStep>(stepArray.Count);
        for (int i = 0; i < stepArray.Count; i++)
        {
            JsonObject child = stepArray[i] as JsonObject ?? throw new ModelFormatException($"{where}: expected steps[{i}] to be an object, got {Json.Describe(stepArray[i])}.");
            steps.Add(ReadStep(zip, child, $"{path}steps/{i}/", depth + 1));
        }

        Func<ModelLoadContext, ITransformer> loader = ModelLoaderRegistry.Find(kind, assembly)
            ?? throw new ModelFormatException($"{where}: unknown step kind '{kind}'{(assembly is null ? string.Empty : $" (from assembly '{assembly}')")}; registered kinds: [{string.Join(", ", ModelLoaderRegistry.Kinds)}].");
        return new ManifestStep(path, kind, version, assembly, parameters, entries, steps, loader);
    }
}
