using MLNetFlows.Models.InfoGan;
using MLNetFlows.Trainers.InfoGan;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLNetFlows.InfoGan.Tests;

/// <summary>
/// The training variants of openai/InfoGAN that the options switch (N(0, 0.02²) initialisation, separate real and
/// generated batches through D, fresh noise and codes for G's update): what they do, and that every combination still
/// learns, is reproducible and resumes exactly.
/// </summary>
public sealed class InfoGanTrainingVariantsTests(ITestOutputHelper output)
{
    public static TheoryData<double, bool, bool> Variants => new()
    {
        { 0, false, false },
        { 0.02, false, false },
        { 0, true, false },
        { 0, false, true },
        { 0.02, true, true },
    };

    /// <summary>The batch variants under libtorch's initialisation (N(0, 0.02²) leaves the tiny test networks nearly silent for the first hundred steps).</summary>
    public static TheoryData<bool, bool> BatchVariants => new()
    {
        { true, false },
        { false, true },
        { true, true },
    };

    [Fact]
    public void NormalInitialisationDrawsWeightsAroundZeroScalesAroundOneAndZeroBiases()
    {
        using var leaks = new LeakCheck();
        torch.manual_seed(3);
        using var model = new InfoGanModel(new InfoGanArchitecture { Channels = 1, Height = 28, Width = 28 });

        InfoGanInitialization.Normal(model, 0.02);

        using var scope = NewDisposeScope();
        var state = model.state_dict();
        var fc = state["discriminator.fc3.weight"];
        Assert.InRange(fc.mean().item<float>(), -1e-3, 1e-3);
        Assert.InRange(fc.std().item<float>(), 0.0195, 0.0205);
        Assert.InRange(state["generator.deconv1.weight"].std().item<float>(), 0.019, 0.021);
        var scale = state["generator.bn1.weight"];
        Assert.InRange(scale.mean().item<float>(), 0.997, 1.003);
        Assert.InRange(scale.std().item<float>(), 0.017, 0.023);
        Assert.All(state.Where(p => p.Key.EndsWith(".bias", StringComparison.Ordinal)), p => Assert.True(p.Value.eq(0).all().item<bool>(), $"'{p.Key}' is not zero"));
        Assert.True(state["discriminator.bn3.running_var"].eq(1).all().item<bool>(), "the running statistics must stay untouched");
    }

    [Theory]
    [MemberData(nameof(BatchVariants))]
    public void TheBatchVariantsLowerQsLosses(bool separate, bool resample)
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96);

        var (model, history) = new InfoGanTraining(Options(0, separate, resample, epochs: 12), output.WriteLine).Run(pixels);
        model.Dispose();

        Assert.True(history[^1].CategoricalInformation > history[0].CategoricalInformation + 0.2, $"categorical information {history[0].CategoricalInformation:F3} → {history[^1].CategoricalInformation:F3}");
        Assert.All(history, r => Assert.True(double.IsFinite(r.DiscriminatorLoss) && double.IsFinite(r.GeneratorLoss)));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryVariantGivesTheSameModelForTheSameSeed(double initialStd, bool separate, bool resample)
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(48);

        using var first = new InfoGanTraining(Options(initialStd, separate, resample, epochs: 2), null).Run(pixels).Model;
        using var again = new InfoGanTraining(Options(initialStd, separate, resample, epochs: 2), null).Run(pixels).Model;

        using var scope = NewDisposeScope();
        var a = first.state_dict();
        var b = again.state_dict();
        Assert.All(a, p => Assert.True(p.Value.eq(b[p.Key]).all().item<bool>(), $"'{p.Key}' differs"));
    }

    [Fact]
    public void TheVariantsChangeTheTrainedModel()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(32);
        using var plain = new InfoGanTraining(Options(0, false, false, epochs: 1), null).Run(pixels).Model;
        using var separate = new InfoGanTraining(Options(0, true, false, epochs: 1), null).Run(pixels).Model;
        using var resampled = new InfoGanTraining(Options(0, false, true, epochs: 1), null).Run(pixels).Model;
        using var initialised = new InfoGanTraining(Options(0.02, false, false, epochs: 1), null).Run(pixels).Model;

        using var scope = NewDisposeScope();
        var weight = plain.state_dict()["generator.fc1.weight"];
        foreach (var other in new[] { separate, resampled, initialised })
        {
            Assert.False(weight.eq(other.state_dict()["generator.fc1.weight"]).all().item<bool>());
        }
    }

    [Fact]
    public void ResumingTheOpenAiVariantEqualsTheUninterruptedRun()
    {
        using var leaks = new LeakCheck();
        using var pixels = ShapesData.Tensor(96);
        using var directory = new TempDirectory();
        using var straight = new InfoGanTraining(Options(0.02, true, true, epochs: 2), null).Run(pixels).Model;

        using var cancel = new CancellationTokenSource();
        var interrupted = Options(0.02, true, true, epochs: 2);
        interrupted.CheckpointDirectory = directory.Path;
        interrupted.CheckpointEverySteps = 4;
        interrupted.CancellationToken = cancel.Token;
        interrupted.StepCallback = s => { if (s.Step == 9) cancel.Cancel(); };
        Assert.ThrowsAny<OperationCanceledException>(() => new InfoGanTraining(interrupted, null).Run(pixels));
        interrupted.CancellationToken = CancellationToken.None;
        interrupted.StepCallback = null;
        using var resumed = new InfoGanTraining(interrupted, null).Run(pixels).Model;

        using var scope = NewDisposeScope();
        var a = straight.state_dict();
        var b = resumed.state_dict();
        Assert.All(a, p => Assert.True(p.Value.eq(b[p.Key]).all().item<bool>(), $"'{p.Key}' differs"));
    }

    [Fact]
    public void ANegativeInitialStandardDeviationIsRefusedWithTheFix()
    {
        var options = TinyTraining.Options();
        options.InitialWeightStandardDeviation = -0.02;

        var e = Assert.Throws<ArgumentException>(() => new InfoGanTraining(options, null));

        Assert.Equal("InitialWeightStandardDeviation must be finite and not negative (0 = libtorch's initialisation), got -0.02 (Parameter 'InitialWeightStandardDeviation')", e.Message);
    }

    private static InfoGanTrainerOptions Options(double initialStd, bool separate, bool resample, int epochs = 4)
    {
        var options = TinyTraining.Options();
        options.InitialWeightStandardDeviation = initialStd;
        options.SeparateDiscriminatorBatches = separate;
        options.ResampleForGenerator = resample;
        options.NumberOfEpochs = epochs;
        return options;
    }
}
