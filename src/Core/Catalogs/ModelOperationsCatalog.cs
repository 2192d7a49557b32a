using MLNetFlows.Persistence;

namespace MLNetFlows;

/// <summary>
/// Saving and loading models: <c>mlContext.Model.Save(model, inputSchema, path)</c> and
/// <c>mlContext.Model.Load(path, out inputSchema)</c>.
/// </summary>
/// <remarks>
/// <para>File layout (format version 1): one zip archive holding</para>
/// <list type="bullet">
/// <item><c>manifest.json</c>: <c>{"formatVersion": 1, "producer": "...", "inputSchema": [{"name", "type"}] | null,
/// "model": step}</c> where a step is <c>{"kind", "version", "assembly", "parameters": {...}, "entries": [names],
/// "steps": [nested steps]}</c> and a type is described in JSON (e.g. <c>{"kind":"Vector","item":{"kind":"Number","name":"Single"},"dimensions":[784]}</c>).</item>
/// <item>binary entries of the root step at <c>model/&lt;name&gt;</c>; of its nested step <c>i</c> at
/// <c>model/steps/&lt;i&gt;/&lt;name&gt;</c>, and so on (e.g. weights as <c>weights.safetensors</c>).</item>
/// </list>
/// <para>A <see cref="TransformerChain{TLastTransformer}"/> is a step of kind <c>TransformerChain</c> whose nested
/// steps are its elements. Files are written to a temporary file and renamed (atomic). Loading validates the whole
/// file before creating any transformer and reports every problem as a <see cref="ModelFormatException"/>.</para>
/// </remarks>
public sealed class ModelOperationsCatalog : CatalogBase
{
    /// <summary>The model file format version written by this library.</summary>
    public const int FormatVersion = 1;

    /// <summary>The name of the manifest entry.</summary>
    public const string ManifestEntryName = "manifest.json";

    internal ModelOperationsCatalog(MLContext context)
        : base(context)
    {
    }

    /// <summary>Saves a model and the schema it expects to a file, atomically.</summary>
    /// <param name="model">The model.</param>
    /// <param name="inputSchema">The input schema, or null.</param>
    /// <param name="filePath">The file path; replaced if it exists.</param>
    public void Save(ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        Guard.NotNull(model);
        Guard.NotNullOrEmpty(filePath);
        ModelWriter.SaveAtomically(model, inputSchema, filePath);
    }

    /// <summary>Saves a model and the schema it expects to a stream.</summary>
    /// <param name="model">The model.</param>
    /// <param name="inputSchema">The input schema, or null.</param>
    /// <param name="stream">A writable stream; left open.</param>
    public void Save(ITransformer model, DataViewSchema? inputSchema, Stream stream)
    {
        Guard.NotNull(model);
        Guard.NotNull(stream);
        ModelWriter.Save(model, inputSchema, stream);
    }

    /// <summary>Loads a model from a file.</summary>
    /// <param name="filePath">The file path.</param>
    /// <param name="inputSchema">Receives the saved input schema, or null when none was saved.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The file is not a valid model.</exception>
    public ITransformer Load(string filePath, out DataViewSchema? inputSchema) => Load(filePath, out inputSchema, new ModelLoadOptions());

    /// <summary>Loads a model from a file with explicit limits.</summary>
    /// <param name="filePath">The file path.</param>
    /// <param name="inputSchema">Receives the saved input schema, or null when none was saved.</param>
    /// <param name="options">The limits.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The file is not a valid model.</exception>
    public ITransformer Load(string filePath, out DataViewSchema? inputSchema, ModelLoadOptions options)
    {
        Guard.NotNullOrEmpty(filePath);
        using var stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return Load(stream, out inputSchema, options);
        }
        catch (ModelFormatException ex)
        {
            throw new ModelFormatException($"'{filePath}': {ex.Message}", ex);
        }
    }

    /// <summary>Loads a model from a stream.</summary>
    /// <param name="stream">A readable stream; left open.</param>
    /// <param name="inputSchema">Receives the saved input schema, or null when none was saved.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The data is not a valid model.</exception>
    public ITransformer Load(Stream stream, out DataViewSchema? inputSchema) => Load(stream, out inputSchema, new ModelLoadOptions());

    /// <summary>Loads a model from a stream with explicit limits.</summary>
    /// <param name="stream">A readable stream; left open.</param>
    /// <param name="inputSchema">Receives the saved input schema, or null when none was saved.</param>
    /// <param name="options">The limits.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The data is not a valid model.</exception>
    public ITransformer Load(Stream stream, out DataViewSchema? inputSchema, ModelLoadOptions options)
    {
        Guard.NotNull(stream);
        Guard.NotNull(options);
        return ModelReader.Load(stream, options, Context, out inputSchema);
    }
}
