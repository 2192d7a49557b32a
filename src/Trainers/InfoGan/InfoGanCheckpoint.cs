using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Models.Serialization;
using TorchSharp;

namespace MLNetFlows.Trainers.InfoGan;

/// <summary>
/// An InfoGAN training checkpoint: one safetensors file (<see cref="SafetensorsFile"/>), written atomically, so an
/// interrupted write never leaves a broken checkpoint, and validated before anything in it is used. Layout (version 1):
/// <list type="bullet">
/// <item>tensors "model.&lt;state-dict name&gt;" (parameters and batch-normalisation statistics),
/// "generator_optimizer.param.&lt;i&gt;.&lt;field&gt;" and "discriminator_optimizer.param.&lt;i&gt;.&lt;field&gt;"
/// (<see cref="Optimizers"/>' Adam state);</item>
/// <item>metadata "format" = "mlnetflows.infogan.checkpoint", "version" = "1", "architecture" (JSON of
/// <see cref="InfoGanArchitecture"/>), "run" (JSON of <see cref="InfoGanRunIdentity"/>), "progress" (JSON of
/// <see cref="InfoGanTrainingProgress"/>), and each optimizer's metadata under its prefix.</item>
/// </list>
/// Randomness needs no saved generator state: every draw is re-seeded from (seed, stream, index) (<see cref="SeedSequence"/>).
/// </summary>
internal static class InfoGanCheckpoint
{
    public const string FileName = "infogan-checkpoint.safetensors";
    private const string Format = "mlnetflows.infogan.checkpoint";
    private const int Version = 1;
    private const string ModelPrefix = "model.";
    private const string GeneratorPrefix = "generator_optimizer.";
    private const string DiscriminatorPrefix = "discriminator_optimizer.";

    /// <summary>JSON of the metadata entries; NaN figures (e.g. no categorical code) are written as "NaN".</summary>
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static void Save(string directory, InfoGanTrainee trainee, InfoGanRunIdentity run, InfoGanTrainingProgress progress)
    {
        using var generatorState = trainee.GeneratorOptimizer.ExportState();
        using var discriminatorState = trainee.DiscriminatorOptimizer.ExportState();
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

        Add(GeneratorPrefix, generatorState, tensors, metadata);
        Add(DiscriminatorPrefix, discriminatorState, tensors, metadata);
        Directory.CreateDirectory(directory);
        SafetensorsFile.WriteAtomically(PathIn(directory), tensors, metadata);
    }

    /// <summary>
    /// Restores the networks and both optimizers from the checkpoint in <paramref name="directory"/> and returns the
    /// progress saved with them, or null if there is no checkpoint. Throws an <see cref="InvalidDataException"/> naming
    /// the problem and the fix when the file is damaged or belongs to another run.
    /// </summary>
    public static InfoGanTrainingProgress? TryRestore(string directory, InfoGanTrainee trainee, InfoGanRunIdentity run)
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
            throw new InvalidDataException($"'{path}' is not an InfoGAN checkpoint (format '{format ?? "(none)"}')");
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

        var savedRun = Deserialize<InfoGanRunIdentity>(path, metadata, "run");
        if (savedRun != run)
        {
            throw new InvalidDataException($"'{path}' belongs to another run ({savedRun.Describe()}) than this one ({run.Describe()}); use another CheckpointDirectory, or the same seed, BatchSize and training data");
        }

        var progress = Deserialize<InfoGanTrainingProgress>(path, metadata, "progress");
        try
        {
            LoadModel(trainee.Model, WithPrefix(content.Tensors, ModelPrefix));
            trainee.GeneratorOptimizer.ImportState(WithPrefix(content.Tensors, GeneratorPrefix), WithPrefix(metadata, GeneratorPrefix));
            trainee.DiscriminatorOptimizer.ImportState(WithPrefix(content.Tensors, DiscriminatorPrefix), WithPrefix(metadata, DiscriminatorPrefix));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' does not fit the model: {e.Message}", e);
        }

        return progress;
    }

    /// <summary>Checks names, shapes and dtypes of the saved weights against the model's, then loads them.</summary>
    internal static void LoadModel(InfoGanModel model, Dictionary<string, torch.Tensor> saved)
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
