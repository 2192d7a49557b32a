using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Serialization;
using MLNetFlows.Trainers.Checkpoints;
using TorchSharp;

namespace MLNetFlows.Trainers.Glow;

/// <summary>
/// A Glow training checkpoint: one safetensors file (the codec <see cref="SafetensorsFile"/> of MLNetFlows.Models),
/// written atomically (<see cref="CheckpointFile"/>), so an interrupted write never leaves a broken checkpoint, and validated before anything in it is
/// used. Layout (version 2):
/// <list type="bullet">
/// <item>tensors "model.&lt;state-dict name&gt;" (parameters and buffers, ActNorm initialisation flags included),
/// "optimizer.param.&lt;i&gt;.&lt;field&gt;" (<see cref="AdamOptimizer"/>), and with Polyak averaging
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
        CheckpointFile.AddModel(ModelPrefix, trainee.Model, tensors);
        CheckpointFile.Add(OptimizerPrefix, optimizerState, tensors, metadata);
        if (averageState is not null)
        {
            CheckpointFile.Add(AveragePrefix, averageState, tensors, metadata);
        }

        CheckpointFile.Write(directory, FileName, tensors, metadata);
    }

    /// <summary>
    /// Restores model, optimizer and moving average from the checkpoint in <paramref name="directory"/> and returns the
    /// progress saved with them, or returns null if there is no checkpoint. Throws an <see cref="InvalidDataException"/>
    /// naming the problem and the fix when the file is damaged or belongs to another run. Removes the temporary files
    /// that interrupted writes left in <paramref name="directory"/> first.
    /// </summary>
    public static GlowTrainingProgress? TryRestore(string directory, GlowTrainee trainee, GlowRunIdentity run)
    {
        var path = PathIn(directory);
        using var content = CheckpointFile.TryRead(directory, FileName);
        if (content is null)
        {
            return null;
        }

        var metadata = content.Metadata;
        if (!metadata.TryGetValue("format", out var format) || format != Format)
        {
            throw new InvalidDataException($"'{path}' is not a Glow checkpoint (format '{format ?? "(none)"}')");
        }

        if (metadata.GetValueOrDefault("version") != Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"'{path}' has checkpoint version {metadata.GetValueOrDefault("version") ?? "(none)"}, this build reads version {Version}; use another CheckpointDirectory");
        }

        CheckpointFile.RequireArchitecture(path, metadata, JsonSerializer.Serialize(trainee.Model.Architecture, Json));
        CheckpointFile.RequireRun(path, metadata, run, Json, r => r.Describe(), "the same seed, BatchSize and training data");
        var averageMetadata = CheckpointFile.RequireAverage(path, metadata, AveragePrefix, trainee.Average is not null);

        var progress = CheckpointFile.Deserialize<GlowTrainingProgress>(path, metadata, "progress", Json);
        try
        {
            CheckpointFile.LoadModel(trainee.Model, CheckpointFile.WithPrefix(content.Tensors, ModelPrefix));
            trainee.Optimizer.ImportState(CheckpointFile.WithPrefix(content.Tensors, OptimizerPrefix), CheckpointFile.WithPrefix(metadata, OptimizerPrefix));
            trainee.Average?.ImportState(CheckpointFile.WithPrefix(content.Tensors, AveragePrefix), averageMetadata);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' does not fit the model: {e.Message}", e);
        }

        return progress;
    }
}
