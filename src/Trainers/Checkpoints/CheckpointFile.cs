using System.Text.Json;
using MLNetFlows.Models.Serialization;
using TorchSharp;

namespace MLNetFlows.Trainers.Checkpoints;

/// <summary>
/// What the Glow, conditional INN and InfoGAN checkpoints share: one safetensors file (<see cref="SafetensorsFile"/>)
/// of prefixed tensors ("model.", an optimizer's prefix, …) and string metadata ("format", "version", "architecture",
/// "run", "progress" as JSON, and each part's metadata under its prefix), written atomically after removing the
/// temporary files interrupted writes left behind (<see cref="StaleTemporaryFiles"/>), and checked before anything in
/// it is used. Each checkpoint class keeps its own format name, version and layout; this type does not change them.
/// </summary>
internal static class CheckpointFile
{
    /// <summary>
    /// Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="fileName"/> in
    /// <paramref name="directory"/> (created if needed) atomically, after removing that file's stale temporary files.
    /// </summary>
    public static void Write(string directory, string fileName, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Directory.CreateDirectory(directory);
        StaleTemporaryFiles.Remove(directory, fileName);
        SafetensorsFile.WriteAtomically(Path.Combine(directory, fileName), tensors, metadata);
    }

    /// <summary>
    /// Removes the stale temporary files of <paramref name="fileName"/> in <paramref name="directory"/>, then reads the
    /// checkpoint, or returns null when there is none; the caller disposes the content.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors.</exception>
    public static SafetensorsContent? TryRead(string directory, string fileName)
    {
        StaleTemporaryFiles.Remove(directory, fileName);
        var path = Path.Combine(directory, fileName);
        return File.Exists(path) ? SafetensorsFile.Read(path) : null;
    }

    /// <summary>Adds <paramref name="model"/>'s state dict under <paramref name="prefix"/>.</summary>
    public static void AddModel(string prefix, torch.nn.Module model, Dictionary<string, torch.Tensor> tensors)
    {
        foreach (var (name, tensor) in model.state_dict())
        {
            tensors[prefix + name] = tensor;
        }
    }

    /// <summary>Adds a part's tensors and metadata under <paramref name="prefix"/>.</summary>
    public static void Add(string prefix, CheckpointState state, Dictionary<string, torch.Tensor> tensors, Dictionary<string, string> metadata)
    {
        foreach (var (name, tensor) in state.Tensors)
        {
            tensors[prefix + name] = tensor;
        }

        foreach (var (key, value) in state.Metadata)
        {
            metadata[prefix + key] = value;
        }
    }

    /// <summary>Throws unless the saved "architecture" metadata is exactly <paramref name="expected"/> (JSON).</summary>
    public static void RequireArchitecture(string path, IReadOnlyDictionary<string, string> metadata, string expected)
    {
        if (metadata.GetValueOrDefault("architecture") != expected)
        {
            throw new InvalidDataException($"'{path}' was trained with architecture {metadata.GetValueOrDefault("architecture")}, but the options ask for {expected}; use another CheckpointDirectory or matching options");
        }
    }

    /// <summary>Throws unless the saved "run" equals <paramref name="run"/>; <paramref name="fix"/> says what to keep the same.</summary>
    public static void RequireRun<T>(string path, IReadOnlyDictionary<string, string> metadata, T run, JsonSerializerOptions json, Func<T, string> describe, string fix)
        where T : IEquatable<T>
    {
        var saved = Deserialize<T>(path, metadata, "run", json);
        if (!saved.Equals(run))
        {
            throw new InvalidDataException($"'{path}' belongs to another run ({describe(saved)}) than this one ({describe(run)}); use another CheckpointDirectory, or {fix}");
        }
    }

    /// <summary>
    /// The metadata of the moving average of the weights saved under <paramref name="prefix"/>; throws unless the checkpoint
    /// has one exactly when the run keeps one (<paramref name="averaging"/>).
    /// </summary>
    public static Dictionary<string, string> RequireAverage(string path, IReadOnlyDictionary<string, string> metadata, string prefix, bool averaging)
    {
        var saved = WithPrefix(metadata, prefix);
        if (averaging != (saved.Count > 0))
        {
            throw new InvalidDataException($"'{path}' was trained {(averaging ? "without" : "with")} weight averaging, but the options ask for {(averaging ? "it" : "none")}; use another CheckpointDirectory or matching WeightAveragingDecay");
        }

        return saved;
    }

    /// <summary>The JSON metadata entry <paramref name="key"/> as a <typeparamref name="T"/>; a missing or invalid entry names the file.</summary>
    public static T Deserialize<T>(string path, IReadOnlyDictionary<string, string> metadata, string key, JsonSerializerOptions json)
    {
        try
        {
            return metadata.TryGetValue(key, out var text) ? JsonSerializer.Deserialize<T>(text, json) ?? throw new JsonException("null") : throw new JsonException("missing");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' has no valid '{key}' entry ({e.Message})", e);
        }
    }

    /// <summary>
    /// Loads only the trained weights (those under <paramref name="prefix"/>, not a moving average's) of the checkpoint
    /// <paramref name="fileName"/> in <paramref name="directory"/> into <paramref name="model"/>, e.g. to compare them with
    /// the averaged weights a run returns; <paramref name="what"/> names the kind of checkpoint in the error when there is none.
    /// </summary>
    public static void LoadTrainedWeights(string directory, string fileName, string prefix, torch.nn.Module model, string what)
    {
        using var content = TryRead(directory, fileName) ?? throw new FileNotFoundException($"no {what} checkpoint in '{directory}'", Path.Combine(directory, fileName));
        LoadModel(model, WithPrefix(content.Tensors, prefix));
    }

    /// <summary>
    /// Checks the saved weights' names, shapes and dtypes against the model's parameters and buffers, then loads them
    /// through the model's own <c>load_state_dict</c> (which also refreshes what a model caches of its buffers).
    /// </summary>
    public static void LoadModel(torch.nn.Module model, Dictionary<string, torch.Tensor> saved)
    {
        var live = model.state_dict();
        var missing = live.Keys.Where(k => !saved.ContainsKey(k)).ToList();
        var unexpected = saved.Keys.Where(k => !live.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new InvalidDataException($"the saved weights lack [{string.Join(", ", missing)}] and have unknown [{string.Join(", ", unexpected)}]");
        }

        foreach (var (name, tensor) in live)
        {
            StateTensors.RequireLike(saved[name], tensor, $"weight '{name}'");
        }

        model.load_state_dict(saved);
    }

    /// <summary>The entries whose names start with <paramref name="prefix"/>, with the prefix removed.</summary>
    public static Dictionary<string, T> WithPrefix<T>(IReadOnlyDictionary<string, T> entries, string prefix) =>
        entries.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);
}
