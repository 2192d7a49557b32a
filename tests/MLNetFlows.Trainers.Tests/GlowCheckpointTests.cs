using MLNetFlows.Models.Serialization;
using MLNetFlows.Trainers.Glow;
using TorchSharp;
using static MLNetFlows.Trainers.Tests.GlowTrainingTests;

namespace MLNetFlows.Trainers.Tests;

/// <summary>Glow checkpoints: what they hold, and the checkpoints a run must refuse before it trains.</summary>
public sealed class GlowCheckpointTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string CheckpointPath => _directory.File(GlowCheckpoint.FileName);

    private GlowTrainerOptions CheckpointedOptions()
    {
        var options = TinyOptions();
        options.NumberOfEpochs = 1;
        options.CheckpointDirectory = _directory.Path;
        return options;
    }

    private static void Train(GlowTrainerOptions options, torch.Tensor pixels, int seed = 1) =>
        new GlowTraining(options, seed, null).Run(pixels, null).Model.Dispose();

    [Fact]
    public void TheCheckpointHoldsWeightsOptimizerAverageRunAndProgress()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(64);
        Train(CheckpointedOptions(), train, seed: 7);

        using var checkpoint = SafetensorsFile.Read(CheckpointPath);

        var metadata = checkpoint.Metadata;
        Assert.Equal("mlnetflows.glow.checkpoint", metadata["format"]);
        Assert.Equal("2", metadata["version"]);
        Assert.Equal("{\"Seed\":7,\"BatchSize\":32,\"TrainingRows\":64}", metadata["run"]);
        Assert.Contains("\"Step\":2", metadata["progress"], StringComparison.Ordinal);
        Assert.Equal("adamax", metadata["optimizer.optimizer"]);
        Assert.Equal("2", metadata["optimizer.param.0.step"]);
        Assert.Equal("2", metadata["average.updates"]);
        var names = checkpoint.Tensors.Keys.ToList();
        Assert.Contains("model.top_prior", names);
        Assert.Contains(names, n => n.StartsWith("model.level0_step0.", StringComparison.Ordinal) && n.EndsWith(".initialized", StringComparison.Ordinal));
        var parameters = names.Count(n => n.StartsWith("average.param.", StringComparison.Ordinal));
        Assert.True(parameters > 0);
        Assert.Equal(parameters, names.Count(n => n.StartsWith("optimizer.param.", StringComparison.Ordinal) && n.EndsWith(".exp_inf", StringComparison.Ordinal)));
        Assert.Equal([CheckpointPath], Directory.GetFiles(_directory.Path)); // no temporary file left behind
    }

    [Fact]
    public void CheckpointOfAnotherArchitectureIsRefused()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(32);
        var options = CheckpointedOptions();
        Train(options, train);
        options.HiddenChannels = 8;

        var error = Assert.Throws<InvalidDataException>(() => Train(options, train));

        Assert.Contains("was trained with architecture", error.Message);
        Assert.Contains("use another CheckpointDirectory or matching options", error.Message);
    }

    [Fact]
    public void CheckpointOfAnotherRunIsRefused()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(64);
        var options = CheckpointedOptions();
        Train(options, train, seed: 1);

        var error = Assert.Throws<InvalidDataException>(() => Train(options, train, seed: 2));

        Assert.EndsWith("belongs to another run (seed 1, batch size 32, 64 training rows) than this one (seed 2, batch size 32, 64 training rows); use another CheckpointDirectory, or the same seed, BatchSize and training data", error.Message);
    }

    [Fact]
    public void CheckpointOfAnotherOptimizerIsRefused()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(32);
        var options = CheckpointedOptions();
        Train(options, train);
        options.Optimizer = OptimizerKind.Adam;

        var error = Assert.Throws<InvalidDataException>(() => Train(options, train));

        Assert.Equal($"'{CheckpointPath}' does not fit the model: the state is of optimizer 'adamax', expected 'adam'", error.Message);
    }

    [Fact]
    public void ACutShortCheckpointIsRefusedBeforeTraining()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(32);
        var options = CheckpointedOptions();
        Train(options, train);
        var bytes = File.ReadAllBytes(CheckpointPath);
        File.WriteAllBytes(CheckpointPath, bytes[..(bytes.Length - 100)]);
        var steps = 0;
        options.StepCallback = _ => steps++;

        var error = Assert.Throws<InvalidDataException>(() => Train(options, train));

        Assert.StartsWith($"'{CheckpointPath}' is not a valid safetensors file: the tensors cover", error.Message);
        Assert.Equal(0, steps);
    }

    [Fact]
    public void CheckpointOfAnotherFormatVersionIsRefused()
    {
        using var leaks = new LeakCheck();
        using var train = FashionMnistPixels.Load(32);
        var options = CheckpointedOptions();
        Train(options, train);
        using (var checkpoint = SafetensorsFile.Read(CheckpointPath))
        {
            var metadata = checkpoint.Metadata.ToDictionary();
            metadata["version"] = "1";
            SafetensorsFile.WriteAtomically(CheckpointPath, checkpoint.Tensors, metadata);
        }

        var error = Assert.Throws<InvalidDataException>(() => Train(options, train));

        Assert.Equal($"'{CheckpointPath}' has checkpoint version 1, this build reads version 2; use another CheckpointDirectory", error.Message);
    }
}
