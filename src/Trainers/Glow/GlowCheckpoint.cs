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
/// "optimizer.&lt;state name&gt;", and with Polyak averaging "average.&lt;index&gt;";</item>
/// <item>metadata "format" = "mlnetflows.glow.checkpoint", "version" = "1", "architecture" (JSON of
/// <see cref="GlowArchitecture"/>), "progress" (JSON of <see cref="GlowTrainingProgress"/>), and the optimizer's
/// metadata under "optimizer." and the average's under "average.".</item>
/// </list>
/// </summary>
internal static class GlowCheckpoint
{
    public const string FileName = "glow-checkpoint.safetensors";
    private const string Format = "mlnetflows.glow.checkpoint";
    private const int Version = 1;
    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";
    private const string AveragePrefix = "average.";

    internal static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static void Save(string directory, GlowModel model, Optimizer optimizer, ExponentialMovingAverage? average, GlowTrainingProgress progress)
    {
        using var optimizerState = optimizer.ExportState();
        using var averageState = average?.ExportState();
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

        if (averageState is not null)
        {
            foreach (var (name, tensor) in averageState.Tensors)
            {
                tensors[AveragePrefix + name] = tensor;
            }

            foreach (var (key, value) in averageState.Metadata)
            {
                metadata[AveragePrefix + key] = value;
            }
        }

        SafeTensors.Save(PathIn(directory), tensors, metadata);
    }

    /// <summary>Restores model, optimizer and moving average from the checkpoint in <paramref name="directory"/>, or returns null if none.</summary>
    public static GlowTrainingProgress? TryRestore(string directory, GlowModel model, Optimizer optimizer, ExponentialMovingAverage? average)
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

        var averageMetadata = WithPrefix(metadata, AveragePrefix);
        if ((average is null) != (averageMetadata.Count == 0))
        {
            throw new InvalidDataException($"'{path}' was trained {(average is null ? "with" : "without")} weight averaging, but the options ask for {(average is null ? "none" : "it")}; use another CheckpointDirectory or matching WeightAveragingDecay");
        }

        try
        {
            model.LoadStateDict(WithPrefix(content.Tensors, ModelPrefix));
            optimizer.ImportState(WithPrefix(content.Tensors, OptimizerPrefix), WithPrefix(metadata, OptimizerPrefix));
            average?.ImportState(WithPrefix(content.Tensors, AveragePrefix), averageMetadata);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' does not fit the model: {e.Message}", e);
        }

        return JsonSerializer.Deserialize<GlowTrainingProgress>(metadata["progress"], Json)
            ?? throw new InvalidDataException($"'{path}' has no training progress");
    }

    private static Dictionary<string, T> WithPrefix<T>(IReadOnlyDictionary<string, T> entries, string prefix) =>
        entries.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);
}

/// <summary>Where training stands; saved in checkpoints so a resumed run continues exactly.</summary>
internal sealed record GlowTrainingProgress
{
    public int Epoch { get; init; }

    public int BatchInEpoch { get; init; }

    public long Step { get; init; }

    public long SkippedSteps { get; init; }

    public int ConsecutiveSkipped { get; init; }

    /// <summary>Running mean of accepted losses (0 before the first), the yardstick of <see cref="GlowTrainerOptions.LossSpikeFactor"/>.</summary>
    public double LossReference { get; init; }

    public double EpochLossSum { get; init; }

    public long EpochLossCount { get; init; }

    public double LastLoss { get; init; }

    public List<GlowEpochReport> History { get; init; } = [];
}
