using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Models.Glow;
using MLNetFlows.Torch;
using MLNetFlows.Torch.Optim;
using MLNetFlows.Torch.Serialization;

namespace MLNetFlows.Trainers.Glow;

/// <summary>
/// A Glow training checkpoint: one safetensors file, written atomically (temp file + rename), so an interrupted write
/// never leaves a broken checkpoint. Layout (version 1):
/// <list type="bullet">
/// <item>tensors "model.&lt;parameter or buffer name&gt;" (ActNorm "initialized" flags included) and
/// "optimizer.&lt;state name&gt;";</item>
/// <item>metadata "format" = "mlnetflows.glow.checkpoint", "version" = "1", "architecture" (JSON of
/// <see cref="GlowArchitecture"/>), "progress" (JSON of <see cref="GlowTrainingProgress"/>), and the optimizer's
/// metadata under "optimizer.".</item>
/// </list>
/// </summary>
internal static class GlowCheckpoint
{
    public const string FileName = "glow-checkpoint.safetensors";
    private const string Format = "mlnetflows.glow.checkpoint";
    private const int Version = 1;
    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";

    internal static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static void Save(string directory, GlowModel model, Optimizer optimizer, GlowTrainingProgress progress)
    {
        using var optimizerState = optimizer.ExportState();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in model.StateDict())
        {
            tensors[ModelPrefix + name] = tensor;
        }

        foreach (var (name, tensor) in optimizerState.Tensors)
        {
            tensors[OptimizerPrefix + name] = tensor;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["version"] = Version.ToString(CultureInfo.InvariantCulture),
            ["architecture"] = JsonSerializer.Serialize(model.Architecture, Json),
            ["progress"] = JsonSerializer.Serialize(progress, Json),
        };
        foreach (var (key, value) in optimizerState.Metadata)
        {
            metadata[OptimizerPrefix + key] = value;
        }

        SafeTensors.Save(PathIn(directory), tensors, metadata);
    }

    /// <summary>Restores model and optimizer from the checkpoint in <paramref name="directory"/>, or returns null if none.</summary>
    public static GlowTrainingProgress? TryRestore(string directory, GlowModel model, Optimizer optimizer)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            return null;
        }

        using var content = SafeTensors.Load(path);
        var metadata = content.Metadata;
        if (!metadata.TryGetValue("format", out var format) || format != Format)
        {
            throw new InvalidDataException($"'{path}' is not a Glow checkpoint (format '{format ?? "(none)"}')");
        }

        if (metadata.GetValueOrDefault("version") != Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"'{path}' has checkpoint version {metadata.GetValueOrDefault("version")}, this build reads version {Version}");
        }

        var expected = JsonSerializer.Serialize(model.Architecture, Json);
        if (metadata.GetValueOrDefault("architecture") != expected)
        {
            throw new InvalidDataException($"'{path}' was trained with architecture {metadata.GetValueOrDefault("architecture")}, but the options ask for {expected}; use another CheckpointDirectory or matching options");
        }

        var modelState = content.Tensors.Where(p => p.Key.StartsWith(ModelPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[ModelPrefix.Length..], p => p.Value, StringComparer.Ordinal);
        var optimizerTensors = content.Tensors.Where(p => p.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[OptimizerPrefix.Length..], p => p.Value, StringComparer.Ordinal);
        var optimizerMetadata = metadata.Where(p => p.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[OptimizerPrefix.Length..], p => p.Value, StringComparer.Ordinal);
        try
        {
            model.LoadStateDict(modelState);
            optimizer.ImportState(optimizerTensors, optimizerMetadata);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' does not fit the model: {e.Message}", e);
        }

        return JsonSerializer.Deserialize<GlowTrainingProgress>(metadata["progress"], Json)
            ?? throw new InvalidDataException($"'{path}' has no training progress");
    }
}

/// <summary>Where training stands; saved in checkpoints so a resumed run continues exactly.</summary>
internal sealed record GlowTrainingProgress
{
    public int Epoch { get; init; }

    public int BatchInEpoch { get; init; }

    public long Step { get; init; }

    public long SkippedSteps { get; init; }

    public int ConsecutiveNonFinite { get; init; }

    public double EpochLossSum { get; init; }

    public long EpochLossCount { get; init; }

    public double LastLoss { get; init; }

    public List<GlowEpochReport> History { get; init; } = [];
}
