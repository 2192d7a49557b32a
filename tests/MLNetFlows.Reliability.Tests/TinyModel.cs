using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Reliability.Tests.Cli;

namespace MLNetFlows.Reliability.Tests;

/// <summary>
/// A tiny Glow detector trained once by <c>mlnetflows train glow</c> (256 Fashion-MNIST images, one epoch, L = 2,
/// K = 1, 8 hidden channels: about two seconds on one thread), for every test that needs a saved model.
/// </summary>
public sealed class TinyModel : IDisposable
{
    private readonly TempDirectory _directory = new();

    public TinyModel()
    {
        Path = _directory.File("glow.zip");
        Tool.Run(TrainArguments(Path)).AssertSuccess();
        Bytes = File.ReadAllBytes(Path);
    }

    /// <summary>Gets the model zip's path.</summary>
    public string Path { get; }

    /// <summary>Gets the model zip's bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>
    /// The arguments of a tiny training run writing <paramref name="output"/>, with <paramref name="more"/> appended (an
    /// <c>--epochs</c> there replaces the default of one epoch).
    /// </summary>
    public static string[] TrainArguments(string output, params string[] more) =>
    [
        "train", "glow", "--data", "fashion-mnist", "--limit", "256", .. more.Contains("--epochs") ? Array.Empty<string>() : ["--epochs", "1"],
        "--levels", "2", "--steps", "1", "--hidden", "8", "--batch-size", "32", "--output", output, "--threads", "1", .. more,
    ];

    /// <summary>Four 28×28 images (flat gray levels) in the detector's Features column, to score with a loaded model.</summary>
    public static IDataView Rows(MLContext ml) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(i => new Row { Features = Enumerable.Repeat(i * 60f, 784).ToArray() }));

    public void Dispose() => _directory.Dispose();

    /// <summary>A row of pixels as the detector reads it.</summary>
    public sealed class Row
    {
        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }
}

/// <summary>The test classes that share one <see cref="TinyModel"/> and one <see cref="OtherModels"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TinyModelCollection : ICollectionFixture<TinyModel>, ICollectionFixture<OtherModels>
{
    public const string Name = "tiny model";
}
