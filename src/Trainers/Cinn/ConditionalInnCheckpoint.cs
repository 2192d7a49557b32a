using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Serialization;
using TorchSharp;
using TorchSharp.Modules;

namespace MLNetFlows.Trainers.Cinn;

/// <summary>
/// A conditional INN training checkpoint: one safetensors file written atomically (<see cref="SafetensorsFile"/>) and
/// validated before anything in it is used. Tensors "model.&lt;state-dict name&gt;" and
/// "optimizer.param.&lt;i&gt;.&lt;field&gt;" (<see cref="Optimizers"/>); metadata "format" =
/// "mlnetflows.cinn.checkpoint", "version" = "1", "architecture", "run" and "progress" (JSON) and the optimizer's under
/// "optimizer.". Randomness needs no saved generator state: every draw is re-seeded from (seed, stream, index)
/// (<see cref="SeedSequence"/>).
/// </summary>
internal static class ConditionalInnCheckpoint
{
    public const string FileName = "cinn-checkpoint.safetensors";
    private const string Format = "mlnetflows.cinn.checkpoint";
    private const string Version = "1";
    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static void Save(string directory, ConditionalInnModel model, OptimizerHelper optimizer, ConditionalInnRunIdentity run, ConditionalInnProgress progress)
    {
        Directory.CreateDirectory(directory);
        using var optimizerState = optimizer.ExportState();
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["version"] = Version,
            ["architecture"] = JsonSerializer.Serialize(model.Architecture, Json),
            ["run"] = JsonSerializer.Serialize(run, Json),
            ["progress"] = JsonSerializer.Serialize(progress, Json),
        };
        foreach (var (name, tensor) in model.state_dict())
        {
            tensors[ModelPrefix + name] = tensor;
        }

        foreach (var (name, tensor) in optimizerState.Tensors)
        {
            tensors[OptimizerPrefix + name] = tensor;
        }

        foreach (var (key, value) in optimizerState.Metadata)
        {
            metadata[OptimizerPrefix + key] = value;
        }

        SafetensorsFile.WriteAtomically(PathIn(directory), tensors, metadata);
    }

    /// <summary>
    /// Restores model and optimizer from the checkpoint in <paramref name="directory"/> and returns the saved progress,
    /// or null without a checkpoint. Throws an <see cref="InvalidDataException"/> naming the problem and the fix when the
    /// file is damaged or belongs to another run.
    /// </summary>
    public static ConditionalInnProgress? TryRestore(string directory, ConditionalInnModel model, OptimizerHelper optimizer, ConditionalInnRunIdentity run)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            return null;
        }

        using var content = SafetensorsFile.Read(path);
        var metadata = content.Metadata;
        if (metadata.GetValueOrDefault("format") != Format || metadata.GetValueOrDefault("version") != Version)
        {
            throw new InvalidDataException($"'{path}' is not a version {Version} conditional INN checkpoint (format '{metadata.GetValueOrDefault("format") ?? "(none)"}', version '{metadata.GetValueOrDefault("version") ?? "(none)"}'); use another CheckpointDirectory");
        }

        var expected = JsonSerializer.Serialize(model.Architecture, Json);
        if (metadata.GetValueOrDefault("architecture") != expected)
        {
            throw new InvalidDataException($"'{path}' was trained with architecture {metadata.GetValueOrDefault("architecture")}, but the options ask for {expected}; use another CheckpointDirectory or matching options");
        }

        var savedRun = Deserialize<ConditionalInnRunIdentity>(path, metadata, "run");
        if (savedRun != run)
        {
            throw new InvalidDataException($"'{path}' belongs to another run ({savedRun.Describe()}) than this one ({run.Describe()}); use another CheckpointDirectory, or the same settings and training data");
        }

        var progress = Deserialize<ConditionalInnProgress>(path, metadata, "progress");
        try
        {
            var saved = WithPrefix(content.Tensors, ModelPrefix);
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
            optimizer.ImportState(WithPrefix(content.Tensors, OptimizerPrefix), WithPrefix(metadata, OptimizerPrefix));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' does not fit the model: {e.Message}", e);
        }

        return progress;
    }

    private static T Deserialize<T>(string path, IReadOnlyDictionary<string, string> metadata, string key)
    {
        try
        {
            return metadata.TryGetValue(key, out var text) ? JsonSerializer.Deserialize<T>(text, Json) ?? throw new JsonException("null") : throw new JsonException("missing");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' has no valid '{key}' entry ({e.Message})", e);
        }
    }

    private static Dictionary<string, T> WithPrefix<T>(IReadOnlyDictionary<string, T> entries, string prefix) =>
        entries.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);
}
