using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Persistence;

namespace MLNetFlows;

/// <summary>
/// Loads model zips that may be damaged or hostile without hanging: <c>mlContext.Model.LoadChecked</c> checks the zip's
/// input-schema entry before <c>mlContext.Model.Load</c> reads it.
/// </summary>
/// <remarks>
/// <c>mlContext.Model.Load</c> first reads the entry <c>Schema</c> (the training data's schema, a zero-row data view
/// in ML.NET's binary format) with its binary loader, before any component's own loader runs. ML.NET 5.0.1 fills arrays
/// from that entry in a loop that never ends when the entry is shorter than a count in it claims: a single flipped bit
/// in a vector type's dimension count makes <c>Load</c> spin forever at full CPU. The check reads the entry (at most
/// <see cref="MaxSchemaEntryBytes"/>), checks its layout (every offset, size and count inside the entry) and then runs
/// ML.NET's own reader on it from a stream that fails, instead of returning nothing, when read past its end: a
/// damaged entry is refused with a <see cref="ModelFormatException"/> in milliseconds. Use <c>LoadChecked</c> for
/// every file your process did not just write.
/// </remarks>
public static class CheckedModelLoadingCatalog
{
    /// <summary>The largest input-schema entry accepted (a schema with huge annotations, such as millions of slot names, is refused).</summary>
    public const int MaxSchemaEntryBytes = 16 << 20;

    /// <summary>The name ML.NET gives the input-schema entry of a model zip.</summary>
    public const string SchemaEntryName = "Schema";

    /// <summary>
    /// Checks the input-schema entry of the model zip at <paramref name="path"/> (see <see cref="CheckSchemaEntry(Stream)"/>),
    /// then loads the model with <c>mlContext.Model.Load</c>.
    /// </summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="path">The model zip.</param>
    /// <param name="inputSchema">The schema the model expects, as <c>Load</c> returns it.</param>
    /// <returns>The loaded transformer.</returns>
    /// <exception cref="ModelFormatException">The input-schema entry is damaged.</exception>
    public static ITransformer LoadChecked(this ModelOperationsCatalog catalog, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using (var file = File.OpenRead(path))
        {
            CheckSchemaEntry(file);
        }

        return catalog.Load(path, out inputSchema);
    }

    /// <summary>
    /// Checks the input-schema entry of the model zip in <paramref name="stream"/> (see <see cref="CheckSchemaEntry(Stream)"/>),
    /// rewinds the stream to where it was, then loads the model with <c>mlContext.Model.Load</c>.
    /// </summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="stream">The model zip: a readable, seekable stream.</param>
    /// <param name="inputSchema">The schema the model expects, as <c>Load</c> returns it.</param>
    /// <returns>The loaded transformer.</returns>
    /// <exception cref="ModelFormatException">The input-schema entry is damaged.</exception>
    public static ITransformer LoadChecked(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stream);
        var start = stream.Position;
        CheckSchemaEntry(stream);
        stream.Position = start;
        return catalog.Load(stream, out inputSchema);
    }

    /// <summary>
    /// Checks the input-schema entry of a model zip so that <c>mlContext.Model.Load</c> cannot hang or size arrays from
    /// it beyond what it holds. A stream that is not a zip, or a zip without the entry, passes (<c>Load</c> then reports
    /// its own error); the stream is left at an unspecified position.
    /// </summary>
    /// <param name="stream">The model zip: a readable, seekable stream.</param>
    /// <exception cref="ModelFormatException">The entry is larger than <see cref="MaxSchemaEntryBytes"/>, cannot be
    /// decompressed, or its layout or content is damaged; the message names the problem.</exception>
    public static void CheckSchemaEntry(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("the model stream must be readable and seekable: pass a FileStream or a MemoryStream", nameof(stream));
        }

        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            return; // not a zip: Load says so
        }

        using (archive)
        {
            foreach (var entry in archive.Entries.Where(e => e.FullName == SchemaEntryName))
            {
                var bytes = ReadCapped(entry);
                SchemaEntryLayout.Check(bytes, Error);
                ReadWithMLNet(bytes);
            }
        }
    }

    private static ModelFormatException Error(string problem) =>
        new($"the model file's input schema (zip entry '{SchemaEntryName}', ML.NET's binary data view) is damaged: {problem.TrimEnd('.')}. The file is corrupt or was altered: save the model again with mlContext.Model.Save (or retrain it)");

    private static byte[] ReadCapped(ZipArchiveEntry entry)
    {
        try
        {
            using var content = entry.Open();
            using var copy = new MemoryStream();
            var buffer = new byte[1 << 16];
            int read;
            while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (copy.Length + read > MaxSchemaEntryBytes)
                {
                    throw Error(FormattableString.Invariant($"it inflates to more than {MaxSchemaEntryBytes >> 20} MB"));
                }

                copy.Write(buffer, 0, read);
            }

            return copy.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Error($"it cannot be decompressed ({e.Message})");
        }
    }

    /// <summary>Runs ML.NET's binary loader on the entry as <c>Load</c> does (header, columns, annotations), from a stream that fails when read past its end.</summary>
    private static void ReadWithMLNet(byte[] bytes)
    {
        try
        {
            var view = new MLContext(0).Data.LoadFromBinary(new OneStream(new EndCheckedStream(bytes, Error)));
            _ = view.Schema.Count;
            (view as IDisposable)?.Dispose();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var cause = e;
            while (cause is not ModelFormatException && cause.InnerException is { } inner)
            {
                cause = inner;
            }

            throw cause as ModelFormatException ?? Error(cause.Message);
        }
    }

    /// <summary>A one-stream source for ML.NET's binary loader.</summary>
    private sealed class OneStream(Stream stream) : IMultiStreamSource
    {
        public int Count => 1;

        public string? GetPathOrNull(int index) => null;

        public Stream Open(int index) => stream;

        public TextReader OpenTextReader(int index) => new StreamReader(stream);
    }
}
