using System.Text.Json.Nodes;

namespace MLNetFlows.Persistence;

/// <summary>A validated step of a manifest: everything is checked before any loader runs.</summary>
internal sealed record ManifestStep(
    string Path,
    string Kind,
    int Version,
    string? Assembly,
    JsonObject Parameters,
    IReadOnlyList<string> Entries,
    IReadOnlyList<ManifestStep> Steps,
    Func<ModelLoadContext, ITransformer> Loader);
