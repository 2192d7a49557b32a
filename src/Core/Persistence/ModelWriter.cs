using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNetFlows.Persistence;

/// <summary>Writes a model zip (layout in <see cref="ModelOperationsCatalog"/>).</summary>
internal static class ModelWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Save(ITransformer model, DataViewSchema? inputSchema, Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        JsonObject root = ModelSaveContext.Save(zip, "model/", model);
        var manifest = new JsonObject
        {
            ["formatVersion"] = ModelOperationsCatalog.FormatVersion,
            ["producer"] = "MLNetFlows " + typeof(ModelWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            ["inputSchema"] = inputSchema is null ? null : new JsonArray([.. inputSchema.Where(c => !c.IsHidden).Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = DataViewTypeJson.Write(c.Type),
            })]),
            ["model"] = root,
        };
        using Stream entry = zip.CreateEntry(ModelOperationsCatalog.ManifestEntryName, CompressionLevel.Optimal).Open();
        JsonSerializer.Serialize(entry, manifest, Indented);
    }

    /// <summary>Writes to a temporary file in the target directory, then renames it over <paramref name="filePath"/>.</summary>
    public static void SaveAtomically(ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        string full = Path.GetFullPath(filePath);
        string directory = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                Save(model, inputSchema, file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
