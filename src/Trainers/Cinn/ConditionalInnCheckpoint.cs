using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Serialization;
using MLNetFlows.Trainers.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;

namespace MLNetFlows.Trainers.Cinn;

/// <summary>
/// A conditional INN training checkpoint: one safetensors file written atomically (<see cref="SafetensorsFile"/>,
/// <see cref="CheckpointFile"/>) and
/// validated before anything in it is used. Tensors "model.&lt;state-dict name&gt;" and
/// "optimizer.param.&lt;i&gt;.&lt;field&gt;" (<see cref="AdamOptimizer"/>), and with Polyak averaging
/// "average.param.&lt;i&gt;" (<see cref="ExponentialMovingAverage"/>); metadata "format" = "mlnetflows.cinn.checkpoint",
/// "version" = "1", "architecture", "run" and "progress" (JSON) and the optimizer's under "optimizer." and the average's
/// under "average." (a checkpoint without them is a run without averaging). Randomness needs no saved generator state:
/// every draw is re-seeded from (seed, stream, index)
/// (<see cref="SeedSequence"/>).
/// </summary>
internal static class ConditionalInnCheckpoint
{
    public const string FileName = "cinn-checkpoint.safetensors";
    private const string Format = "mlnetflows.cinn.checkpoint";
    private const string Version = "1";
    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";
    private const string AveragePrefix = "average.";

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static void Save(string directory, ConditionalInnModel model, AdamOptimizer optimizer, ExponentialMovingAverage? average, ConditionalInnRunIdentity run, ConditionalInnProgress progress)
    {
        using var optimizerState = optimizer.ExportState();
        using var averageState = average?.ExportState();
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["version"] = Version,
            ["architecture"] = JsonSerializer.Serialize(model.Architecture, Json),
            ["run"] = JsonSerializer.Serialize(run, Json),
            ["progress"] = JsonSerializer.Serialize(progress, Json),
        };
        CheckpointFile.AddModel(ModelPrefix, model, tensors);
        CheckpointFile.Add(OptimizerPrefix, optimizerState, tensors, metadata);
        if (averageState is not null)
        {
            CheckpointFile.Add(AveragePrefix, averageState, tensors, metadata);
        }

        CheckpointFile.Write(directory, FileName, tensors, metadata);
    }

    /// <summary>
    /// Loads only the trained (not averaged) weights of the checkpoint in <paramref name="directory"/> into
    /// <paramref name="model"/>, e.g. to compare them with the averaged weights a run returns.
    /// </summary>
    public static void LoadTrainedWeights(string directory, ConditionalInnModel model) =>
        CheckpointFile.LoadTrainedWeights(directory, FileName, ModelPrefix, model, "conditional INN");

    /// <summary>
    /// Restores model, optimizer and moving average from the checkpoint in <paramref name="directory"/> and returns the saved progress,
    /// or null without a checkpoint. Throws an <see cref="InvalidDataException"/> naming the problem and the fix when the
    /// file is damaged or belongs to another run. Removes the temporary files that interrupted writes left in
    /// <paramref name="directory"/> first.
    /// </summary>
    public static ConditionalInnProgress? TryRestore(string directory, ConditionalInnModel model, AdamOptimizer optimizer, ExponentialMovingAverage? average, ConditionalInnRunIdentity run)
    {
        var path = PathIn(directory);
        using var content = CheckpointFile.TryRead(directory, FileName);
        if (content is null)
        {
            return null;
        }

        var metadata = content.Metadata;
        if (metadata.GetValueOrDefault("format") != Format || metadata.GetValueOrDefault("version") != Version)
        {
            throw new InvalidDataException($"'{path}' is not a version {Version} conditional INN checkpoint (format '{metadata.GetValueOrDefault("format") ?? "(none)"}', version '{metadata.GetValueOrDefault("version") ?? "(none)"}'); use another CheckpointDirectory");
        }

        CheckpointFile.RequireArchitecture(path, metadata, JsonSerializer.Serialize(model.Architecture, Json));
        CheckpointFile.RequireRun(path, metadata, run, Json, r => r.Describe(), "the same settings and training data");
        var averageMetadata = CheckpointFile.RequireAverage(path, metadata, AveragePrefix, average is not null);
        var progress = CheckpointFile.Deserialize<ConditionalInnProgress>(path, metadata, "progress", Json);
        try
        {
            CheckpointFile.LoadModel(model, CheckpointFile.WithPrefix(content.Tensors, ModelPrefix));
            optimizer.ImportState(CheckpointFile.WithPrefix(content.Tensors, OptimizerPrefix), CheckpointFile.WithPrefix(metadata, OptimizerPrefix));
            average?.ImportState(CheckpointFile.WithPrefix(content.Tensors, AveragePrefix), averageMetadata);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' does not fit the model: {e.Message}", e);
        }

        return progress;
    }
}
