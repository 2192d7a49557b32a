using System.Diagnostics;
using System.Globalization;
using MLNetFlows.Models.Glow;
using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;
using MLNetFlows.Torch.Optim;

namespace MLNetFlows.Trainers.Glow;

/// <summary>
/// The Glow training loop over in-memory pixels: shuffled mini-batches, uniform dequantisation, bits/dim objective,
/// linear learning-rate warm-up then a constant or cosine schedule, optional gradient clipping, non-finite and spiking
/// losses skipped and counted, Polyak averaging of the weights, validation bits/dim per epoch (of the averaged weights),
/// atomic checkpoints and exact resume, cancellation between steps.
/// Every draw is seeded from (seed, stream, index) (<see cref="SeedSequence"/>), so the same seed gives the same model
/// and a resumed run equals an uninterrupted one.
/// </summary>
public sealed class GlowTraining
{
    private const int EvaluationBatchSize = 256;
    private const double LossReferenceDecay = 0.99;
    private readonly GlowTrainerOptions _options;
    private readonly int _seed;
    private readonly Action<string>? _log;
    private readonly Device _device;
    private readonly GlowArchitecture _architecture;
    private readonly Stopwatch _clock = new();
    private long _plannedSteps;

    /// <summary>Validates <paramref name="options"/>; <paramref name="log"/> receives progress lines.</summary>
    public GlowTraining(GlowTrainerOptions options, int seed, Action<string>? log)
    {
        options.Validate();
        _options = options;
        _seed = seed;
        _log = log;
        _device = Device.Parse(options.Device);
        _architecture = options.Architecture;
    }

    private bool OutOfTime => _options.MaxTrainingTime is { } budget && _clock.Elapsed >= budget;

    /// <summary>Reported dimensions: the original (unpadded) pixels.</summary>
    public long ReportedDimensions => (long)_options.Channels * _options.ImageHeight * _options.ImageWidth;

    /// <summary>Trains on <paramref name="train"/> [N, C, H, W] UInt8 and reports on <paramref name="validation"/>.</summary>
    public (GlowModel Model, IReadOnlyList<GlowEpochReport> History) Run(Tensor train, Tensor? validation)
    {
        CheckPixels(train, "training");
        var count = train.Size(0);
        var batch = (int)Math.Min(_options.BatchSize, count);
        var batchesPerEpoch = (int)(count / batch);
        _plannedSteps = (long)batchesPerEpoch * _options.NumberOfEpochs;
        TorchRuntime.ManualSeed(SeedSequence.Derive(_seed, SeedSequence.InitializationStream, 0));
        var model = new GlowModel(_architecture);
        try
        {
            model.To(_device);
            using var optimizer = CreateOptimizer(model);
            using var average = _options.WeightAveragingDecay is { } decay ? new ExponentialMovingAverage(model.Parameters(), decay) : null;
            var progress = _options.CheckpointDirectory is { } dir ? GlowCheckpoint.TryRestore(dir, model, optimizer, average) : null;
            if (progress is not null)
            {
                _log?.Invoke($"Glow: resuming from step {progress.Step} (epoch {progress.Epoch + 1}) of {GlowCheckpoint.PathIn(_options.CheckpointDirectory!)}");
            }

            progress ??= new GlowTrainingProgress();
            using var trainOnDevice = train.To(_device);
            _clock.Restart();
            for (var epoch = progress.Epoch; epoch < _options.NumberOfEpochs && !OutOfTime; epoch++)
            {
                progress = RunEpoch(new Trainee(model, optimizer, average), trainOnDevice, batch, batchesPerEpoch, progress with { Epoch = epoch }, validation);
            }

            if (OutOfTime)
            {
                _log?.Invoke($"Glow: stopped after {progress.Step} steps: MaxTrainingTime {_options.MaxTrainingTime} reached");
            }

            if (average is { Updates: > 0 })
            {
                average.Swap();
            }

            model.Eval();
            return (model, progress.History);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private GlowTrainingProgress RunEpoch(Trainee trainee, Tensor train, int batch, int batchesPerEpoch, GlowTrainingProgress progress, Tensor? validation)
    {
        var stopwatch = Stopwatch.StartNew();
        var firstBatch = progress.BatchInEpoch;
        trainee.Model.Train();
        TorchRuntime.ManualSeed(SeedSequence.Derive(_seed, SeedSequence.ShuffleStream, progress.Epoch));
        using var order = Tensor.RandPerm(train.Size(0), _device);
        var lastBatch = batchesPerEpoch;
        for (var b = firstBatch; b < batchesPerEpoch; b++)
        {
            if (OutOfTime)
            {
                lastBatch = b;
                break;
            }

            if (_options.CancellationToken.IsCancellationRequested)
            {
                SaveCheckpoint(trainee, progress);
                _options.CancellationToken.ThrowIfCancellationRequested();
            }

            using (var indices = order.Narrow(0, (long)b * batch, batch))
            {
                var skippedBefore = progress.SkippedSteps;
                progress = Step(trainee, train, indices, progress) with { BatchInEpoch = b + 1 };
                var lastLoss = progress.SkippedSteps > skippedBefore ? double.NaN : progress.LastLoss;
                _options.StepCallback?.Invoke(new GlowStepReport(progress.Step, progress.Epoch + 1, b + 1, batchesPerEpoch, lastLoss));
            }

            if (_options.CheckpointDirectory is not null && progress.Step % _options.CheckpointEverySteps == 0)
            {
                SaveCheckpoint(trainee, progress);
            }
        }

        var imagesPerSecond = (lastBatch - firstBatch) * batch / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-9);
        var trainBitsPerDim = progress.EpochLossCount > 0 ? progress.EpochLossSum / progress.EpochLossCount : double.NaN;
        var validationBitsPerDim = validation is null ? (double?)null : EvaluateAveraged(trainee, validation);
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
        if (_options.CheckpointDirectory is not null)
        {
            SaveCheckpoint(trainee, next);
        }

        return next;
    }

    private GlowTrainingProgress Step(Trainee trainee, Tensor train, Tensor indices, GlowTrainingProgress progress)
    {
        var (model, optimizer, average) = trainee;
        var step = progress.Step + 1;
        TorchRuntime.ManualSeed(SeedSequence.Derive(_seed, SeedSequence.StepStream, step));
        using var scope = DisposeScope.Enter();
        var pixels = train.IndexSelect(0, indices).To(DType.Float32);
        var x = GlowInput.Prepare(pixels, _options.NumberOfBits, _architecture.Height, _architecture.Width, dequantize: true);
        var loss = GlowInput.BitsPerDim(model.Evaluate(x).LogDensity, _architecture.Dimensions, ReportedDimensions, _options.NumberOfBits).Mean();
        var value = loss.Item();
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
        loss.Backward();
        if (_options.GradientClipNorm is { } maxNorm)
        {
            GradientClipping.ClipGradNorm(optimizer.Parameters, maxNorm);
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

    /// <summary>Mean bits/dim (per original pixel) of <paramref name="pixels"/> with seeded dequantisation noise.</summary>
    public double Evaluate(GlowModel model, Tensor pixels)
    {
        CheckPixels(pixels, "validation");
        TorchRuntime.ManualSeed(SeedSequence.Derive(_seed, SeedSequence.ValidationStream, 0));
        model.Eval();
        using var inference = Autograd.InferenceMode();
        double sum = 0;
        for (long start = 0; start < pixels.Size(0); start += EvaluationBatchSize)
        {
            using var scope = DisposeScope.Enter();
            var length = Math.Min(EvaluationBatchSize, pixels.Size(0) - start);
            var batch = pixels.Narrow(0, start, length).To(DType.Float32, _device);
            var x = GlowInput.Prepare(batch, _options.NumberOfBits, _architecture.Height, _architecture.Width, dequantize: true);
            sum += GlowInput.BitsPerDim(model.Evaluate(x).LogDensity, _architecture.Dimensions, ReportedDimensions, _options.NumberOfBits).Sum().Item();
        }

        model.Train();
        return sum / pixels.Size(0);
    }

    private Optimizer CreateOptimizer(GlowModel model) => _options.Optimizer switch
    {
        OptimizerKind.Adam => new Adam(model.Parameters(), _options.LearningRate),
        _ => new Adamax(model.Parameters(), _options.LearningRate),
    };

    /// <summary>Validation bits/dim of the averaged weights when averaging (and of the raw weights before the first update).</summary>
    private double EvaluateAveraged(Trainee trainee, Tensor validation)
    {
        if (trainee.Average is not { Updates: > 0 } average)
        {
            return Evaluate(trainee.Model, validation);
        }

        average.Swap();
        try
        {
            return Evaluate(trainee.Model, validation);
        }
        finally
        {
            average.Swap();
        }
    }

    private void SaveCheckpoint(Trainee trainee, GlowTrainingProgress progress)
    {
        if (_options.CheckpointDirectory is { } directory)
        {
            GlowCheckpoint.Save(directory, trainee.Model, trainee.Optimizer, trainee.Average, progress);
        }
    }

    /// <summary>What a training step changes: the model, its optimizer and the moving average of its weights.</summary>
    private sealed record Trainee(GlowModel Model, Optimizer Optimizer, ExponentialMovingAverage? Average);

    private void CheckPixels(Tensor pixels, string role)
    {
        var expected = new long[] { _options.Channels, _options.ImageHeight, _options.ImageWidth };
        if (pixels.Dim != 4 || !pixels.Shape[1..].SequenceEqual(expected) || pixels.Size(0) < 1)
        {
            throw new ArgumentException($"{role} pixels must have shape [N ≥ 1, {string.Join(", ", expected)}], got [{string.Join(", ", pixels.Shape.ToArray())}]");
        }
    }
}
