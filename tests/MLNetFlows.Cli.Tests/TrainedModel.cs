namespace MLNetFlows.Cli.Tests;

/// <summary>
/// A tiny Glow detector trained once by <c>mlnetflows train glow</c> for all the tests that need a model (256 images,
/// one epoch, K = 1, 8 hidden channels: seconds on one thread).
/// </summary>
public sealed class TrainedModel : IDisposable
{
    private readonly TempDirectory _directory = new();

    public TrainedModel()
    {
        Path = _directory.File("glow.zip");
        Train = CliProcess.Run("train", "glow", "--data", "fashion-mnist", "--limit", "256", "--epochs", "1", "--levels", "2", "--steps", "1",
            "--hidden", "8", "--batch-size", "32", "--output", Path, "--threads", "1");
    }

    /// <summary>Gets the model zip.</summary>
    public string Path { get; }

    /// <summary>Gets what the training run printed.</summary>
    internal CliResult Train { get; }

    public void Dispose() => _directory.Dispose();
}

/// <summary>The test classes that share one <see cref="TrainedModel"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TrainedModelCollection : ICollectionFixture<TrainedModel>
{
    public const string Name = "trained model";
}
