using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Serialization;
using TorchSharp;

namespace MLNetFlows.Trainers.Glow;

/// <summary>
/// A Glow training checkpoint: one safetensors file (the codec <see cref="SafetensorsFile"/> of MLNetFlows.Models),
/// written atomically, so an interrupted write never leaves a broken checkpoint, and validated before anything in it is
/// used. Layout (version 2):
/// <list type="bullet">
/// <item>tensors "model.&lt;state-dict name&gt;" (parameters and buffers, ActNorm initialisation flags included),
/// "optimizer.param.&lt;i&gt;.&lt;field&gt;" (<see cref="Optimizers"/>), and with Polyak averaging
/// "average.param.&lt;i&gt;";</item>
/// <item>metadata "format" = "mlnetflows.glow.checkpoint", "version" = "2", "architecture" (JSON of
/// <see cref="GlowArchitecture"/>), "run" (JSON of <see cref="GlowRunIdentity"/>: seed, batch size, training rows),
/// "progress" (JSON of <see cref="GlowTrainingProgress"/>), and the optimizer's metadata under "optimizer." and the
/// average's under "average.".</item>
/// </list>
/// Randomness needs no saved generator state: every draw is re-seeded from (seed, stream, index) (<see cref="SeedSequence"/>).
/// </summary>
internal static class GlowCheckpoint
{
    public const string FileName = "glow-checkpoint.safetensors";
    private const string Format = "mlnetflows.glow.checkpoint";
    private const int Version = 2;
    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";
    private const string AveragePrefix = "average.";

    internal static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static void Save(string directory, GlowTrainee trainee, GlowRunIdentity run, GlowTrainingProgress progress)
    {
        using var optimizerState = trainee.Optimizer.ExportState();
        using var averageState = trainee.Average?.ExportState();
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["version"] = Version.ToString(CultureInfo.InvariantCulture),
            ["architecture"] = JsonSerializer.Serialize(trainee.Model.Architecture, Json),
            ["run"] = JsonSerializer.Serialize(run, Json),
            ["progress"] = JsonSerializer.Serialize(progress, Json),
        };
        foreach (var (name, tensor) in trainee.Model.state_dict())
        {
            tensors[ModelPrefix + name] = tensor;
        }

        Add(OptimizerPrefix, optimizerState, tensors, metadata);
        if (averageState is not null)
        {
            Add(AveragePrefix, averageState, tensors, metadata);
        }

        SafetensorsFile.WriteAtomically(PathIn(directory), tensors, metadata);
    }

    /// <summary>
    /// Restores model, optimizer and moving average from the checkpoint in <paramref name="directory"/> and returns the
    /// progress saved with them, or returns null if there is no checkpoint. Throws an <see cref="InvalidDataException"/>
    /// naming the problem and the fix when the file is damaged or belongs to another run.
    /// </summary>
    public static GlowTrainingProgress? TryRestore(string directory, GlowTrainee trainee, GlowRunIdentity run)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            return null;
        }

        using var content = SafetensorsFile.Read(path);
        var metadata = content.Metadata;
        if (!metadata.TryGetValue("format", out var format) || format != Format)
        {
            throw new InvalidDataException($"'{path}' is not a Glow checkpoint (format '{format ?? "(none)"}')");
        }

        if (metadata.GetValueOrDefault("version") != Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"'{path}' has checkpoint version {metadata.GetValueOrDefault("version") ?? "(none)"}, this build reads version {Version}; use another CheckpointDirectory");
        }

        var expected = JsonSerializer.Serialize(trainee.Model.Architecture, Json);
        if (metadata.GetValueOrDefault("architecture") != expected)
        {
            throw new InvalidDataException($"'{path}' was trained with architecture {metadata.GetValueOrDefault("architecture")}, but the options ask for {expected}; use another CheckpointDirectory or matching options");
        }

        var savedRun = Deserialize<GlowRunIdentity>(path, metadata, "run");
        if (savedRun != run)
        {
            throw new InvalidDataException($"'{path}' belongs to another run ({savedRun.Describe()}) than this one ({run.Describe()}); use another CheckpointDirectory, or the same seed, BatchSize and training data");
        }

        var averageMetadata = WithPrefix(metadata, AveragePrefix);
        if ((trainee.Average is null) != (averageMetadata.Count == 0))
        {
            throw new InvalidDataException($"'{path}' was trained {(trainee.Average is null ? "with" : "without")} weight averaging, but the options ask for {(trainee.Average is null ? "none" : "it")}; use another CheckpointDirectory or matching WeightAveragingDecay");
        }

        var progress = Deserialize<GlowTrainingProgress>(path, metadata, "progress");
        try
        {
            LoadModel(trainee.Model, WithPrefix(content.Tensors, ModelPrefix));
            trainee.Optimizer.ImportState(WithPrefix(content.Tensors, OptimizerPrefix), WithPrefix(metadata, OptimizerPrefix));
            trainee.Average?.ImportState(WithPrefix(content.Tensors, AveragePrefix), averageMetadata);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' does not fit the model: {e.Message}", e);
        }

        return progress;
    }

    /// <summary>
    /// Checks the saved weights' names, shapes and dtypes against the model's parameters and buffers, then loads them
    /// through the model's own <c>load_state_dict</c> (which also refreshes what the model caches of its buffers).
    /// </summary>
    private static void LoadModel(GlowModel model, Dictionary<string, torch.Tensor> saved)
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

    private static void Add(string prefix, CheckpointState state, Dictionary<string, torch.Tensor> tensors, Dictionary<string, string> metadata)
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

    private static Dictionary<string, T> WithPrefix<T>(IReadOnlyDictionary<string, T> entries, string prefix) =>
        entries.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);
}
