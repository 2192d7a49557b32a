using System.Diagnostics;
using System.Globalization;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Runtime;
using TorchSharp;

namespace MLNetFlows.Trainers.Glow;

/// <summary>
/// The Glow training loop over in-memory pixels: shuffled mini-batches, uniform dequantisation, bits/dim objective,
/// linear learning-rate warm-up then a constant or cosine schedule, optional gradient clipping, non-finite and spiking
/// losses skipped and counted, Polyak averaging of the weights, validation bits/dim per epoch (of the averaged weights),
/// atomic checkpoints and exact resume, cancellation between steps and a wall-clock budget.
/// Every draw is seeded from (seed, stream, index) (<see cref="SeedSequence"/>): libtorch's generator before the
/// initialisation, each step's noise and the validation noise; the shuffles in C#. So the same seed gives the same model
/// on the same machine, and a resumed run equals an uninterrupted one bit for bit.
/// </summary>
public sealed class GlowTraining
{
    private const int EvaluationBatchSize = 256;
    private const double LossReferenceDecay = 0.99;
    private readonly GlowTrainerOptions _options;
    private readonly int _seed;
    private readonly Action<string>? _log;
    private readonly torch.Device _device;
    private readonly GlowArchitecture _architecture;
    private readonly Stopwatch _clock = new();
    private long _plannedSteps;

    /// <summary>Validates <paramref name="options"/>; <paramref name="log"/> receives progress lines.</summary>
    /// <param name="options">What to train and how.</param>
    /// <param name="seed">The seed of every random draw (initialisation, shuffles, dequantisation noise).</param>
    /// <param name="log">Receives progress lines (resume, epochs, skipped steps, early stop); may be null.</param>
    public GlowTraining(GlowTrainerOptions options, int seed, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureInitialized();
        _options = options;
        _seed = seed;
        _log = log;
        _device = DeviceNames.Parse(options.Device);
        _architecture = options.Architecture;
    }

    /// <summary>Reported dimensions: the original (unpadded) pixels.</summary>
    public long ReportedDimensions => (long)_options.Channels * _options.ImageHeight * _options.ImageWidth;

    private bool OutOfTime => _options.MaxTrainingTime is { } budget && _clock.Elapsed >= budget;

    /// <summary>
    /// Trains on <paramref name="train"/> and reports on <paramref name="validation"/> after every epoch; both are
    /// [N, C, H, W] UInt8 pixels (the caller keeps and disposes them). With a checkpoint directory, resumes from the
    /// checkpoint found there and writes one every <see cref="GlowTrainerOptions.CheckpointEverySteps"/> steps, at every
    /// epoch's end and on cancellation. Returns the model in evaluation mode, holding the averaged weights when
    /// averaging, and every epoch's report; the caller disposes the model.
    /// </summary>
    /// <exception cref="ArgumentException">The pixels do not have the options' shape.</exception>
    /// <exception cref="InvalidOperationException">Training diverged: too many consecutive skipped steps.</exception>
    /// <exception cref="InvalidDataException">The checkpoint found is damaged or belongs to another run.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token fired (after a checkpoint was written).</exception>
    public (GlowModel Model, IReadOnlyList<GlowEpochReport> History) Run(torch.Tensor train, torch.Tensor? validation)
    {
        ArgumentNullException.ThrowIfNull(train);
        GlowPixels.Check(_options, train, "training");
        if (validation is not null)
        {
            GlowPixels.Check(_options, validation, "validation");
        }

        var count = train.shape[0];
        var batch = (int)Math.Min(_options.BatchSize, count);
        var batchesPerEpoch = (int)(count / batch);
        _plannedSteps = (long)batchesPerEpoch * _options.NumberOfEpochs;
        TorchSeeding.Reseed(SeedSequence.Derive(_seed, SeedSequence.InitializationStream, 0), _device);
        var model = new GlowModel(_architecture);
        try
        {
            model.to(_device);
            using var optimizer = new AdamOptimizer(_options.Optimizer, model.parameters(), _options.LearningRate);
            using var average = _options.WeightAveragingDecay is { } decay ? new ExponentialMovingAverage(model.parameters(), decay) : null;
            var trainee = new GlowTrainee(model, optimizer, average);
            var run = new GlowRunIdentity(_seed, batch, count);
            var progress = _options.CheckpointDirectory is { } directory ? GlowCheckpoint.TryRestore(directory, trainee, run) : null;
            if (progress is not null)
            {
                _log?.Invoke($"Glow: resuming from step {progress.Step} (epoch {progress.Epoch + 1}) of {GlowCheckpoint.PathIn(_options.CheckpointDirectory!)}");
            }

            progress ??= new GlowTrainingProgress();
            using var trainOnDevice = train.to(_device);
            var epochs = new GlowEpochs(trainee, run, trainOnDevice, batchesPerEpoch);
            _clock.Restart();
            for (var epoch = progress.Epoch; epoch < _options.NumberOfEpochs && !OutOfTime; epoch++)
            {
                progress = RunEpoch(epochs, progress with { Epoch = epoch }, validation);
            }

            if (OutOfTime)
            {
                _log?.Invoke($"Glow: stopped after {progress.Step} steps: MaxTrainingTime {_options.MaxTrainingTime} reached");
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

    /// <summary>
    /// Mean bits/dim (per original pixel) of <paramref name="pixels"/> ([N, C, H, W] UInt8) under <paramref name="model"/>,
    /// with uniform dequantisation noise seeded from this training's seed; the model's train/eval mode is kept.
    /// </summary>
    public double Evaluate(GlowModel model, torch.Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pixels);
        GlowPixels.Check(_options, pixels, "validation");
        TorchSeeding.Reseed(SeedSequence.Derive(_seed, SeedSequence.ValidationStream, 0), _device);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var inference = torch.inference_mode();
            double sum = 0;
            var count = pixels.shape[0];
            for (long start = 0; start < count; start += EvaluationBatchSize)
            {
                using var scope = torch.NewDisposeScope();
                var length = Math.Min(EvaluationBatchSize, count - start);
                var batch = pixels.narrow(0, start, length).to(torch.float32, _device);
                var x = GlowInput.Prepare(batch, _options.NumberOfBits, _architecture.Height, _architecture.Width, dequantize: true);
                sum += GlowInput.BitsPerDim(model.Evaluate(x).LogDensity, _architecture.Dimensions, ReportedDimensions, _options.NumberOfBits).sum().item<float>();
            }

            return sum / count;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private GlowTrainingProgress RunEpoch(GlowEpochs epochs, GlowTrainingProgress progress, torch.Tensor? validation)
    {
        var stopwatch = Stopwatch.StartNew();
        var firstBatch = progress.BatchInEpoch;
        var batch = epochs.Run.BatchSize;
        epochs.Trainee.Model.train();
        var order = SeedSequence.Permutation(_seed, SeedSequence.ShuffleStream, progress.Epoch, (int)epochs.Run.TrainingRows);
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

            var skippedBefore = progress.SkippedSteps;
            progress = Step(epochs, order.AsSpan(b * batch, batch), progress) with { BatchInEpoch = b + 1 };
            var lastLoss = progress.SkippedSteps > skippedBefore ? double.NaN : progress.LastLoss;
            _options.StepCallback?.Invoke(new GlowStepReport(progress.Step, progress.Epoch + 1, b + 1, epochs.BatchesPerEpoch, lastLoss));
            if (_options.CheckpointDirectory is not null && progress.Step % _options.CheckpointEverySteps == 0)
            {
                SaveCheckpoint(epochs, progress);
            }
        }

        var imagesPerSecond = (lastBatch - firstBatch) * batch / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-9);
        var trainBitsPerDim = progress.EpochLossCount > 0 ? progress.EpochLossSum / progress.EpochLossCount : double.NaN;
        double? validationBitsPerDim = validation is null ? null
            : epochs.Trainee.Average is { } average ? average.Applied(() => Evaluate(epochs.Trainee.Model, validation))
            : Evaluate(epochs.Trainee.Model, validation);
        var report = new GlowEpochReport(progress.Epoch + 1, progress.Step, trainBitsPerDim, validationBitsPerDim, progress.SkippedSteps, imagesPerSecond);
        _log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"Glow epoch {report.Epoch}/{_options.NumberOfEpochs}: train {report.TrainBitsPerDim:F4} bits/dim, validation {(report.ValidationBitsPerDim is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")} bits/dim, {report.ImagesPerSecond:F0} images/s, {report.SkippedSteps} skipped steps"));
        _options.ProgressCallback?.Invoke(report);
        var next = progress with
        {
            Epoch = progress.Epoch + 1,
            BatchInEpoch = 0,
            EpochLossSum = 0,
            EpochLossCount = 0,
            History = [.. progress.History, report],
        };
        // Stopped by MaxTrainingTime inside the epoch: the checkpoint keeps the batch reached, so a resumed run finishes
        // the epoch (and reports it whole) instead of skipping its remaining batches.
        SaveCheckpoint(epochs, lastBatch < epochs.BatchesPerEpoch ? progress : next);
        return next;
    }

    private GlowTrainingProgress Step(GlowEpochs epochs, ReadOnlySpan<int> rows, GlowTrainingProgress progress)
    {
        var (model, optimizer, average) = epochs.Trainee;
        var step = progress.Step + 1;
        TorchSeeding.Reseed(SeedSequence.Derive(_seed, SeedSequence.StepStream, step), _device);
        using var scope = torch.NewDisposeScope();
        var indices = GlowPixels.Indices(rows, _device);
        var pixels = epochs.Train.index_select(0, indices).to(torch.float32);
        var x = GlowInput.Prepare(pixels, _options.NumberOfBits, _architecture.Height, _architecture.Width, dequantize: true);
        var loss = GlowInput.BitsPerDim(model.Evaluate(x).LogDensity, _architecture.Dimensions, ReportedDimensions, _options.NumberOfBits).mean();
        var value = (double)loss.item<float>();
        var problem = !double.IsFinite(value) ? "a non-finite loss"
            : _options.LossSpikeFactor is { } factor && progress.LossReference > 0 && value > factor * progress.LossReference
                ? string.Create(CultureInfo.InvariantCulture, $"a loss of {value:G4} bits/dim, more than {factor}× the running mean {progress.LossReference:F4}")
                : null;
        if (problem is not null)
        {
            var consecutive = progress.ConsecutiveSkipped + 1;
            _log?.Invoke($"Glow: step {step} has {problem}; skipped ({consecutive} in a row)");
            if (consecutive >= _options.MaxConsecutiveSkippedSteps)
            {
                throw new InvalidOperationException($"Glow training diverged: {consecutive} consecutive skipped steps up to step {step}, the last with {problem}. Lower LearningRate (now {_options.LearningRate}), lengthen WarmupSteps, set GradientClipNorm or SoftClamp.");
            }

            return progress with { Step = step, SkippedSteps = progress.SkippedSteps + 1, ConsecutiveSkipped = consecutive };
        }

        optimizer.LearningRate = _options.LearningRateSchedule.At(step, _plannedSteps, _options.WarmupSteps, _options.LearningRate);
        optimizer.ZeroGrad();
        loss.backward();
        if (_options.GradientClipNorm is { } maxNorm)
        {
            torch.nn.utils.clip_grad_norm_(epochs.Trainee.Parameters, maxNorm);
        }

        optimizer.Step();
        average?.Update();
        return progress with
        {
            Step = step,
            ConsecutiveSkipped = 0,
            LossReference = progress.LossReference > 0 ? (LossReferenceDecay * progress.LossReference) + ((1 - LossReferenceDecay) * value) : value,
            EpochLossSum = progress.EpochLossSum + value,
            EpochLossCount = progress.EpochLossCount + 1,
            LastLoss = value,
        };
    }

    private void SaveCheckpoint(GlowEpochs epochs, GlowTrainingProgress progress)
    {
        if (_options.CheckpointDirectory is { } directory)
        {
            GlowCheckpoint.Save(directory, epochs.Trainee, epochs.Run, progress);
        }
    }

    /// <summary>What every epoch of one run shares.</summary>
    private sealed record GlowEpochs(GlowTrainee Trainee, GlowRunIdentity Run, torch.Tensor Train, int BatchesPerEpoch);
}
