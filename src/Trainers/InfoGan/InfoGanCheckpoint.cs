using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Models.Serialization;
using MLNetFlows.Trainers.Checkpoints;
using TorchSharp;

namespace MLNetFlows.Trainers.InfoGan;

/// <summary>
/// An InfoGAN training checkpoint: one safetensors file (<see cref="SafetensorsFile"/>), written atomically
/// (<see cref="CheckpointFile"/>), so an
/// interrupted write never leaves a broken checkpoint, and validated before anything in it is used. Layout (version 1):
/// <list type="bullet">
/// <item>tensors "model.&lt;state-dict name&gt;" (parameters and batch-normalisation statistics),
/// "generator_optimizer.param.&lt;i&gt;.&lt;field&gt;" and "discriminator_optimizer.param.&lt;i&gt;.&lt;field&gt;"
/// (<see cref="AdamOptimizer"/>' Adam state), and with weight averaging "average.param.&lt;i&gt;"
/// (<see cref="ExponentialMovingAverage"/>);</item>
/// <item>metadata "format" = "mlnetflows.infogan.checkpoint", "version" = "1", "architecture" (JSON of
/// <see cref="InfoGanArchitecture"/>), "run" (JSON of <see cref="InfoGanRunIdentity"/>), "progress" (JSON of
/// <see cref="InfoGanTrainingProgress"/>), and each optimizer's and the average's metadata under its prefix (a checkpoint
/// without "average." is a run without averaging).</item>
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
    private const string AveragePrefix = "average.";

    /// <summary>JSON of the metadata entries; NaN figures (e.g. no categorical code) are written as "NaN".</summary>
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static void Save(string directory, InfoGanTrainee trainee, InfoGanRunIdentity run, InfoGanTrainingProgress progress)
    {
        using var generatorState = trainee.GeneratorOptimizer.ExportState();
        using var discriminatorState = trainee.DiscriminatorOptimizer.ExportState();
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
        CheckpointFile.Add(GeneratorPrefix, generatorState, tensors, metadata);
        CheckpointFile.Add(DiscriminatorPrefix, discriminatorState, tensors, metadata);
        if (averageState is not null)
        {
            CheckpointFile.Add(AveragePrefix, averageState, tensors, metadata);
        }

        CheckpointFile.Write(directory, FileName, tensors, metadata);
    }

    /// <summary>
    /// Loads only the trained (not averaged) weights and the batch-normalisation statistics of the checkpoint in
    /// <paramref name="directory"/> into <paramref name="model"/>, e.g. to compare them with the averaged weights a run returns.
    /// </summary>
    public static void LoadTrainedWeights(string directory, InfoGanModel model) =>
        CheckpointFile.LoadTrainedWeights(directory, FileName, ModelPrefix, model, "InfoGAN");

    /// <summary>
    /// Restores the networks, both optimizers and the moving average of the weights from the checkpoint in <paramref name="directory"/> and returns the
    /// progress saved with them, or null if there is no checkpoint. Throws an <see cref="InvalidDataException"/> naming
    /// the problem and the fix when the file is damaged or belongs to another run. Removes the temporary files that
    /// interrupted writes left in <paramref name="directory"/> first.
    /// </summary>
    public static InfoGanTrainingProgress? TryRestore(string directory, InfoGanTrainee trainee, InfoGanRunIdentity run)
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
            throw new InvalidDataException($"'{path}' is not an InfoGAN checkpoint (format '{format ?? "(none)"}')");
        }

        if (metadata.GetValueOrDefault("version") != Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"'{path}' has checkpoint version {metadata.GetValueOrDefault("version") ?? "(none)"}, this build reads version {Version}; use another CheckpointDirectory");
        }

        CheckpointFile.RequireArchitecture(path, metadata, JsonSerializer.Serialize(trainee.Model.Architecture, Json));
        CheckpointFile.RequireRun(path, metadata, run, Json, r => r.Describe(), "the same seed, BatchSize and training data");
        var progress = CheckpointFile.Deserialize<InfoGanTrainingProgress>(path, metadata, "progress", Json);
        var averageMetadata = CheckpointFile.RequireAverage(path, metadata, AveragePrefix, trainee.Average is not null);
        try
        {
            CheckpointFile.LoadModel(trainee.Model, CheckpointFile.WithPrefix(content.Tensors, ModelPrefix));
            trainee.GeneratorOptimizer.ImportState(CheckpointFile.WithPrefix(content.Tensors, GeneratorPrefix), CheckpointFile.WithPrefix(metadata, GeneratorPrefix));
            trainee.DiscriminatorOptimizer.ImportState(CheckpointFile.WithPrefix(content.Tensors, DiscriminatorPrefix), CheckpointFile.WithPrefix(metadata, DiscriminatorPrefix));
            trainee.Average?.ImportState(CheckpointFile.WithPrefix(content.Tensors, AveragePrefix), averageMetadata);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' does not fit the model: {e.Message}", e);
        }

        return progress;
    }
}
