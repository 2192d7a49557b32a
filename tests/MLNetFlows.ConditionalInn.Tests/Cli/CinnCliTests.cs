using MLNetFlows.Cli.Tests;

namespace MLNetFlows.ConditionalInn.Tests.Cli;

/// <summary>The conditional INN commands run as users run them: train, sample and evaluate, and their one-line errors.</summary>
public sealed class CinnCliTests
{
    private static readonly string[] TinyTraining =
        ["--data", "fashion-mnist", "--limit", "64", "--epochs", "1", "--levels", "2", "--blocks", "1", "--hidden", "8", "--batch-size", "32", "--validation-fraction", "0", "--threads", "1"];

    [Fact]
    public void TrainSampleAndEvaluateWork()
    {
        using var directory = new TempDirectory();
        var model = Path.Combine(directory.Path, "cinn.zip");
        var train = CliProcess.Run(["train", "cinn", .. TinyTraining, "--lr-schedule", "Cosine", "--warmup", "1", "--output", model]).AssertSuccess();
        Assert.Contains($"saved {model}", train.Output);
        Assert.Matches(@"epoch 1: train \d+\.\d{4} bits/dim, validation - bits/dim, \d+ images/s", train.Output);

        var png = Path.Combine(directory.Path, "shirts.png");
        var sample = CliProcess.Run("sample", "cinn", "--model", model, "--class", "3", "--count", "4", "--output", png, "--threads", "1").AssertSuccess();
        Assert.Contains($"wrote {png} (4 samples of class 3 at temperature 0.8)", sample.Output);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);

        var evaluate = CliProcess.Run("evaluate", "cinn", "--model", model, "--limit", "40", "--threads", "1").AssertSuccess();
        Assert.Matches(@"fashion-mnist-test: \d+\.\d{4} bits/dim given the labels \(per original pixel, uniform dequantisation\)", evaluate.Output);
        Assert.Matches(@"fashion-mnist-test: Bayes-classifier accuracy [01]\.\d{4} \(macro [01]\.\d{4}, log-loss \d+\.\d{4}\)", evaluate.Output);

        Assert.Equal("mlnetflows: error: --class 12: the model has 10 classes, numbered 0 to 9",
            CliProcess.Run("sample", "cinn", "--model", model, "--class", "12", "--output", png).AssertOneLineFailure());
        Assert.Equal("mlnetflows: error: --class is required: the class to draw, 0-based",
            CliProcess.Run("sample", "cinn", "--model", model, "--output", png).AssertOneLineFailure());
    }

    [Fact]
    public void BadArgumentsFailWithOneExactLine()
    {
        using var directory = new TempDirectory();
        var missing = Path.Combine(directory.Path, "missing.zip");
        Assert.Equal($"mlnetflows: error: model file '{missing}' does not exist; train one with 'mlnetflows train cinn --output {missing}'",
            CliProcess.Run("sample", "cinn", "--model", missing, "--class", "1").AssertOneLineFailure());
        Assert.Equal("mlnetflows: error: --data 'cifar' is not a labelled built-in set: expected one of fashion-mnist, fashion-mnist-test, mnist",
            CliProcess.Run("train", "cinn", "--data", "cifar", "--output", Path.Combine(directory.Path, "m.zip")).AssertOneLineFailure());
        Assert.Equal("mlnetflows: error: HiddenChannels must be at least 1, got 0",
            CliProcess.Run("train", "cinn", "--hidden", "0", "--output", Path.Combine(directory.Path, "m.zip")).AssertOneLineFailure());
        var empty = Path.Combine(directory.Path, "empty.zip");
        File.WriteAllBytes(empty, []);
        Assert.Equal($"mlnetflows: error: model file '{empty}' is empty: expected a model zip written by 'mlnetflows train cinn'",
            CliProcess.Run("evaluate", "cinn", "--model", empty, "--limit", "4").AssertOneLineFailure());
    }
}
