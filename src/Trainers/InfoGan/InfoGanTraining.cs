using System.Diagnostics;
using System.Globalization;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Models.Runtime;
using TorchSharp;

namespace MLNetFlows.Trainers.InfoGan;

/// <summary>
/// The InfoGAN training loop (Chen et al. 2016) over in-memory pixels: shuffled mini-batches; per step one D/Q update
/// (GAN loss on real and generated images + λ_cat·categorical + λ_cont·continuous information terms on the generated
/// ones) then one G update (non-saturating GAN loss + the same information terms) on freshly drawn noise and codes,
/// each with its own Adam. As openai/InfoGAN's trainer, real and generated images pass through D separately (each batch
/// with its own normalisation statistics) and G's step draws its own latents; with openai's initialisation (the default,
/// <see cref="InfoGanWeightInitialization"/>) that made the categorical code match MNIST's digits sooner than one joint
/// real + generated batch with reused latents did (docs/architecture.md, "InfoGAN's training step"). Per epoch: mean
/// losses, mutual-information estimates and the mode-collapse watch (<see cref="ModeCollapseWatch"/>), which warns or
/// stops. Optional: an information term on the real images in D/Q's loss
/// (<see cref="InfoGanTrainerOptions.RealInformationWeight"/>), and Polyak averaging of all the weights
/// (<see cref="InfoGanTrainerOptions.WeightAveragingDecay"/>). Atomic
/// checkpoints and exact resume, cancellation between steps, a wall-clock budget. Every draw is seeded from (seed, stream, index)
/// (<see cref="SeedSequence"/>): initialisation, the shuffles (in C#), each step's noise and codes, the collapse probes.
/// So the same seed gives the same model on the same machine, and a resumed run equals an uninterrupted one.
/// </summary>
public sealed class InfoGanTraining
{
    private readonly InfoGanTrainerOptions _options;
    private readonly Action<string>? _log;
    private readonly torch.Device _device;
    private readonly InfoGanArchitecture _architecture;
    private readonly Stopwatch _clock = new();
    private readonly Scalar _categoricalWeight;
    private readonly Scalar _continuousWeight;
    private readonly Scalar _realInformationWeight;

    /// <summary>Validates <paramref name="options"/>; <paramref name="log"/> receives progress lines and warnings.</summary>
    /// <param name="options">What to train and how.</param>
    /// <param name="log">Receives progress lines (resume, epochs, mode-collapse warnings); may be null.</param>
    public InfoGanTraining(InfoGanTrainerOptions options, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureInitialized();
        _options = options;
        _log = log;
        _device = DeviceNames.Parse(options.Device);
        _architecture = options.Architecture;
        (_categoricalWeight, _continuousWeight, _realInformationWeight) =
            (Scalars.Of(options.CategoricalWeight), Scalars.Of(options.ContinuousWeight), Scalars.Of(options.RealInformationWeight));
    }

    private bool OutOfTime => _options.MaxTrainingTime is { } budget && _clock.Elapsed >= budget;

    /// <summary>
    /// Trains on <paramref name="train"/> ([N, C, H, W] UInt8 pixel levels, which the caller keeps and disposes). With a
    /// checkpoint directory, resumes from the checkpoint found there and writes one every
    /// <see cref="InfoGanTrainerOptions.CheckpointEverySteps"/> steps, at every epoch's end and on cancellation. Returns
    /// the model in evaluation mode, holding the averaged weights when averaging, and every epoch's report; the caller
    /// disposes the model.
    /// </summary>
    /// <exception cref="ArgumentException">The pixels do not have the options' shape or are fewer than two images.</exception>
    /// <exception cref="InfoGanModeCollapseException">A mode collapse persisted and <see cref="InfoGanTrainerOptions.OnModeCollapse"/> is Stop.</exception>
    /// <exception cref="InvalidDataException">The checkpoint found is damaged or belongs to another run.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token fired (after a checkpoint was written).</exception>
    public (InfoGanModel Model, IReadOnlyList<InfoGanEpochReport> History) Run(torch.Tensor train)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckPixels(train);
        var count = train.shape[0];
        var batch = (int)Math.Min(_options.BatchSize, count);
        var batchesPerEpoch = (int)(count / batch);
        var seed = _options.Seed;
        TorchSeeding.Reseed(SeedSequence.Derive(seed, SeedSequence.InitializationStream, 0), _device);
        var model = new InfoGanModel(_architecture);
        try
        {
            if (_options.WeightInitialization == InfoGanWeightInitialization.OpenAi)
            {
                InitializeAsOpenAi(model);
            }

            model.to(_device);
            using var generatorOptimizer = Adam(model.Generator.parameters(), _options.GeneratorLearningRate);
            using var discriminatorOptimizer = Adam(model.Discriminator.parameters(), _options.DiscriminatorLearningRate);
            using var average = _options.WeightAveragingDecay is { } decay ? new ExponentialMovingAverage(model.parameters(), decay) : null;
            var trainee = new InfoGanTrainee(model, generatorOptimizer, discriminatorOptimizer, average);
            var run = new InfoGanRunIdentity(seed, batch, count);
            var progress = _options.CheckpointDirectory is { } directory ? InfoGanCheckpoint.TryRestore(directory, trainee, run) : null;
            if (progress is not null)
            {
                _log?.Invoke($"InfoGAN: resuming from step {progress.Step} (epoch {progress.Epoch + 1}) of {InfoGanCheckpoint.PathIn(_options.CheckpointDirectory!)}");
            }

            progress ??= new InfoGanTrainingProgress();
            using var trainOnDevice = train.to(_device);
            var epochs = new Epochs(trainee, run, trainOnDevice, batchesPerEpoch, new ModeCollapseWatch(_architecture, seed, _device, trainOnDevice));
            _clock.Restart();
            for (var epoch = progress.Epoch; epoch < _options.NumberOfEpochs && !OutOfTime; epoch++)
            {
                progress = RunEpoch(epochs, progress with { Epoch = epoch });
            }

            if (OutOfTime)
            {
                _log?.Invoke($"InfoGAN: stopped after {progress.Step} steps: MaxTrainingTime {_options.MaxTrainingTime} reached");
            }

            if (average is { Updates: > 0 })
            {
                average.Swap();
            }

            model.eval();
            return (model, progress.History);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>See <see cref="InfoGanWeightInitialization.OpenAi"/>; draws from libtorch's seeded generator.</summary>
    internal static void InitializeAsOpenAi(InfoGanModel model)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope(); // the in-place calls return new handles
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                parameter.zero_();
            }
            else
            {
                parameter.normal_(parameter.dim() == 1 ? 1.0 : 0.0, 0.02); // 1-D weights are batch-normalisation scales
            }
        }
    }

    private AdamOptimizer Adam(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate) =>
        new(OptimizerKind.Adam, parameters, learningRate, _options.Beta1, _options.Beta2);

    private void CheckPixels(torch.Tensor pixels)
    {
        var expected = new long[] { _options.Channels, _options.ImageHeight, _options.ImageWidth };
        if (pixels.Dimensions != 4 || !pixels.shape[1..].SequenceEqual(expected) || pixels.shape[0] < 2)
        {
            throw new ArgumentException($"training pixels must have shape [N ≥ 2, {string.Join(", ", expected)}], got [{string.Join(", ", pixels.shape)}]");
        }

        if (pixels.dtype != torch.ScalarType.Byte)
        {
            throw new ArgumentException($"training pixels must be UInt8 pixel levels in [0, 255], got {pixels.dtype}");
        }
    }

    private InfoGanTrainingProgress RunEpoch(Epochs epochs, InfoGanTrainingProgress progress)
    {
        var stopwatch = Stopwatch.StartNew();
        var firstBatch = progress.BatchInEpoch;
        var batch = epochs.Run.BatchSize;
        epochs.Trainee.Model.train();
        var order = SeedSequence.Permutation(_options.Seed, SeedSequence.ShuffleStream, progress.Epoch, (int)epochs.Run.TrainingRows);
        var lastBatch = epochs.BatchesPerEpoch;
        for (var b = firstBatch; b < epochs.BatchesPerEpoch; b++)
        {
            if (OutOfTime)
            {
                lastBatch = b;
                break;
            }

            if (_options.CancellationToken.IsCancellationRequested)
            {
                SaveCheckpoint(epochs, progress);
                _options.CancellationToken.ThrowIfCancellationRequested();
            }

            progress = Step(epochs, order.AsSpan(b * batch, batch), progress) with { BatchInEpoch = b + 1 };
            _options.StepCallback?.Invoke(new InfoGanStepReport(progress.Step, progress.Epoch + 1, b + 1, epochs.BatchesPerEpoch));
            if (_options.CheckpointDirectory is not null && progress.Step % _options.CheckpointEverySteps == 0)
            {
                SaveCheckpoint(epochs, progress);
            }
        }

        var imagesPerSecond = (lastBatch - firstBatch) * batch / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-9);
        var steps = Math.Max(progress.EpochSteps, 1);
        var means = progress.EpochSums.Select(s => progress.EpochSteps > 0 ? s / steps : double.NaN).ToArray();
        var (entropy, variation, signal) = epochs.Watch.Check(epochs.Trainee.Model, progress.Epoch, means[0]);
        var diagnosis = progress.Step >= _options.ModeCollapseWarmupSteps ? signal : null;
        var report = new InfoGanEpochReport(
            progress.Epoch + 1, progress.Step, means[0], means[1],
            InfoGanObjective.CategoricalEntropy(_architecture) - means[2], InfoGanObjective.ContinuousEntropy(_architecture) - means[3],
            entropy, variation, imagesPerSecond, diagnosis);
        _log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"InfoGAN epoch {report.Epoch}/{_options.NumberOfEpochs}: D loss {report.DiscriminatorLoss:F4}, G loss {report.GeneratorLoss:F4}, MI categorical {report.CategoricalInformation:F3} nats, continuous {report.ContinuousInformation:F3} nats, code entropy {report.CodeEntropy:F3}, sample variation {report.SampleVariation:F3}, {report.ImagesPerSecond:F0} images/s"));
        var collapsed = diagnosis is null ? 0 : progress.CollapsedEpochs + 1;
        var next = progress with
        {
            Epoch = progress.Epoch + 1,
            BatchInEpoch = 0,
            EpochSums = new double[4],
            EpochSteps = 0,
            CollapsedEpochs = collapsed,
            History = [.. progress.History, report],
        };
        // Stopped by MaxTrainingTime inside the epoch: the checkpoint keeps the batch reached, so a resumed run finishes
        // the epoch (and reports it whole) instead of skipping its remaining batches.
        SaveCheckpoint(epochs, lastBatch < epochs.BatchesPerEpoch ? progress : next);
        _options.ProgressCallback?.Invoke(report);
        if (_options.EpochModelCallback is { } modelCallback)
        {
            var model = epochs.Trainee.Model;
            model.eval();
            try
            {
                if (epochs.Trainee.Average is { } average)
                {
                    average.Applied(() => modelCallback(report, model));
                }
                else
                {
                    modelCallback(report, model);
                }
            }
            finally
            {
                model.train();
            }
        }

        if (collapsed >= _options.ModeCollapsePatience)
        {
            var message = $"InfoGAN {diagnosis} (epochs {report.Epoch - collapsed + 1}–{report.Epoch})";
            if (_options.OnModeCollapse == ModeCollapseAction.Stop)
            {
                throw new InfoGanModeCollapseException($"{message}. Training stopped (OnModeCollapse = Stop; set it to Warn to train on).");
            }

            _log?.Invoke($"warning: {message}");
        }

        return next;
    }

    private InfoGanTrainingProgress Step(Epochs epochs, ReadOnlySpan<int> rows, InfoGanTrainingProgress progress)
    {
        var (model, generatorOptimizer, discriminatorOptimizer, average) = epochs.Trainee;
        var step = progress.Step + 1;
        TorchSeeding.Reseed(SeedSequence.Derive(_options.Seed, SeedSequence.StepStream, step), _device);
        using var scope = torch.NewDisposeScope();
        var indices = torch.tensor(rows.ToArray().Select(i => (long)i).ToArray(), device: _device);
        var real = epochs.Train.index_select(0, indices).to(torch.float32).div_(Scalars.Of(255.0));
        var count = real.shape[0];
        var discriminator = model.Discriminator;

        // D and Q: real and generated images in separate passes (each with its own batch statistics), G held fixed.
        var codes = InfoGanLatent.SampleCodes(_architecture, count, _device);
        torch.Tensor fake;
        using (torch.no_grad())
        {
            fake = Generate(model, codes);
        }

        var (realLogits, realRecognition) = discriminator.call(real);
        var (fakeLogits, recognition) = discriminator.call(fake);
        var discriminatorGan = InfoGanObjective.DiscriminatorLoss(realLogits, fakeLogits);
        var (categorical, continuous) = Information(recognition, codes);
        var discriminatorLoss = WithInformation(discriminatorGan, categorical, continuous);
        if (_options.RealInformationWeight > 0 && step >= _options.RealInformationStartStep)
        {
            discriminatorLoss = discriminatorLoss.add(InfoGanObjective.BatchCategoryInformationLoss(_architecture, realRecognition).mul(_realInformationWeight), Scalars.One);
        }

        discriminatorOptimizer.ZeroGrad();
        discriminatorLoss.backward();
        discriminatorOptimizer.Step();

        // G: freshly drawn noise and codes through the updated D and Q.
        var generatorCodes = InfoGanLatent.SampleCodes(_architecture, count, _device);
        var generated = Generate(model, generatorCodes);
        var (generatedLogits, generatedRecognition) = discriminator.call(generated);
        var generatorGan = InfoGanObjective.GeneratorLoss(generatedLogits);
        var (generatorCategorical, generatorContinuous) = Information(generatedRecognition, generatorCodes);
        generatorOptimizer.ZeroGrad();
        WithInformation(generatorGan, generatorCategorical, generatorContinuous).backward();
        generatorOptimizer.Step();
        average?.Update();

        var values = new[] { discriminatorGan, generatorGan, categorical, continuous }.Select(t => (double)t.item<float>()).ToArray();
        var sums = progress.EpochSums.Zip(values, (s, v) => s + v).ToArray();
        return progress with { Step = step, EpochSums = sums, EpochSteps = progress.EpochSteps + 1 };
    }

    /// <summary>G's images for <paramref name="codes"/> and freshly drawn noise.</summary>
    private torch.Tensor Generate(InfoGanModel model, InfoGanCodes codes) =>
        model.Generate(InfoGanLatent.Compose(_architecture, InfoGanLatent.SampleNoise(_architecture, codes.Categories.shape[0], _device), codes));

    /// <summary>A GAN loss plus λ_cat·categorical + λ_cont·continuous information terms.</summary>
    private torch.Tensor WithInformation(torch.Tensor gan, torch.Tensor categorical, torch.Tensor continuous) =>
        gan.add(categorical.mul(_categoricalWeight), Scalars.One).add(continuous.mul(_continuousWeight), Scalars.One);

    private (torch.Tensor Categorical, torch.Tensor Continuous) Information(InfoGanRecognition recognition, InfoGanCodes codes) =>
        (InfoGanObjective.CategoricalLoss(_architecture, recognition, codes.Categories), InfoGanObjective.ContinuousLoss(recognition, codes.Continuous));

    private void SaveCheckpoint(Epochs epochs, InfoGanTrainingProgress progress)
    {
        if (_options.CheckpointDirectory is { } directory)
        {
            InfoGanCheckpoint.Save(directory, epochs.Trainee, epochs.Run, progress);
        }
    }

    /// <summary>What every epoch of one run shares.</summary>
    private sealed record Epochs(InfoGanTrainee Trainee, InfoGanRunIdentity Run, torch.Tensor Train, int BatchesPerEpoch, ModeCollapseWatch Watch);
}
