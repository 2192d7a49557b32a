using System.Diagnostics;
using System.Globalization;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;

namespace MLNetFlows.Trainers.Cinn;

/// <summary>
/// The conditional INN training loop over in-memory pixels and conditions — class labels, or condition images such as
/// the lightness for colorization (Ardizzone et al. 2019): shuffled
/// mini-batches, uniform dequantisation plus Gaussian noise augmentation on x, the conditional bits/dim objective
/// −log₂ p(x | c) / D (condition images enter through <see cref="ImageConditionInput"/>), Adam with L2 weight decay under a warm-up and
/// <see cref="LearningRateSchedule"/>, optional gradient clipping, Polyak averaging of the weights
/// (<see cref="ExponentialMovingAverage"/>), validation bits/dim per epoch (of the averaged weights), atomic
/// checkpoints with exact resume, cancellation between steps and a wall-clock budget. Every draw is seeded from
/// (seed, stream, index) (<see cref="SeedSequence"/>), so the same seed gives the same model on the same machine and a
/// resumed run equals an uninterrupted one bit for bit.
/// </summary>
public sealed class ConditionalInnTraining
{
    private const int EvaluationBatchSize = 256;
    private readonly ConditionalInnTrainerOptions _options;
    private readonly int _seed;
    private readonly Action<string>? _log;
    private readonly torch.Device _device;
    private readonly Stopwatch _clock = new();

    /// <summary>Validates <paramref name="options"/> for <paramref name="numberOfClasses"/> classes.</summary>
    /// <param name="options">What to train and how.</param>
    /// <param name="numberOfClasses">Number of classes K of the labels (ignored for an image condition).</param>
    /// <param name="seed">The seed of every random draw.</param>
    /// <param name="log">Receives progress lines; may be null.</param>
    public ConditionalInnTraining(ConditionalInnTrainerOptions options, int numberOfClasses, int seed, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureInitialized();
        Architecture = options.ArchitectureFor(numberOfClasses);
        Architecture.Validate();
        _options = options;
        _seed = seed;
        _log = log;
        _device = DeviceNames.Parse(options.Device);
    }

    /// <summary>The architecture trained.</summary>
    public ConditionalInnArchitecture Architecture { get; }

    private long ReportedDimensions => (long)_options.Channels * _options.ImageHeight * _options.ImageWidth;

    private bool OutOfTime => _options.MaxTrainingTime is { } budget && _clock.Elapsed >= budget;

    /// <summary>
    /// Trains on <paramref name="train"/> (UInt8 [N, C, H, W]) with the conditions <paramref name="trainLabels"/>: class
    /// indices (Int64 [N], 0 … K − 1) or condition images (UInt8 or Float32 [N, Cc, H, W], pixel values in [0, 255]) — and reports validation bits/dim after every epoch when validation rows are given. Resumes from and writes
    /// checkpoints when the options name a directory. Returns the model in evaluation mode, holding the averaged weights when
    /// averaging (the caller disposes it), and every epoch's report.
    /// </summary>
    /// <exception cref="ArgumentException">Pixels or labels do not fit the options.</exception>
    /// <exception cref="InvalidDataException">The checkpoint found is damaged or belongs to another run.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token fired (after a checkpoint was written).</exception>
    public (ConditionalInnModel Model, IReadOnlyList<ConditionalInnEpochReport> History) Run(torch.Tensor train, torch.Tensor trainLabels, torch.Tensor? validation = null, torch.Tensor? validationLabels = null)
    {
        CheckData(train, trainLabels, "training");
        if (validation is not null || validationLabels is not null)
        {
            CheckData(validation ?? throw new ArgumentException("validation labels were given without validation pixels"), validationLabels ?? throw new ArgumentException("validation pixels were given without validation labels"), "validation");
        }

        // Keeps the activations freed at the end of every step for the next one instead of faulting them in again (about
        // a third of a step's CPU time with glibc's defaults; see NativeHeap).
        NativeHeap.RetainFreedMemory();
        var count = train.shape[0];
        var batch = (int)Math.Min(_options.BatchSize, count);
        var batchesPerEpoch = (int)(count / batch);
        TorchSeeding.Reseed(SeedSequence.Derive(_seed, SeedSequence.InitializationStream, 0), _device);
        var model = new ConditionalInnModel(Architecture);
        try
        {
            model.to(_device);
            using var optimizer = new AdamOptimizer(OptimizerKind.Adam, model.parameters(), _options.LearningRate, weightDecay: _options.WeightDecay);
            var scheduledSteps = _options.LearningRateSchedule == LearningRateSchedule.Constant ? 0 : (long)batchesPerEpoch * _options.NumberOfEpochs;
            var run = new ConditionalInnRunIdentity(
                _seed, batch, count, _options.LearningRate, _options.WeightDecay, _options.NoiseStandardDeviation, _options.WarmupSteps, _options.LearningRateSchedule, scheduledSteps);
            using var average = _options.WeightAveragingDecay is { } decay ? new ExponentialMovingAverage(model.parameters(), decay) : null;
            var progress = _options.CheckpointDirectory is { } directory ? ConditionalInnCheckpoint.TryRestore(directory, model, optimizer, average, run) : null;
            if (progress is not null)
            {
                _log?.Invoke($"Conditional INN: resuming from step {progress.Step} (epoch {progress.Epoch + 1}) of {ConditionalInnCheckpoint.PathIn(_options.CheckpointDirectory!)}");
            }

            progress ??= new ConditionalInnProgress();
            using var pixels = train.to(_device);
            using var labels = trainLabels.to(_device);
            var state = new RunState(model, optimizer, average, run, pixels, labels, batchesPerEpoch);
            _clock.Restart();
            for (var epoch = progress.Epoch; epoch < _options.NumberOfEpochs && !OutOfTime; epoch++)
            {
                progress = RunEpoch(state, progress with { Epoch = epoch }, validation, validationLabels);
            }

            if (OutOfTime)
            {
                _log?.Invoke($"Conditional INN: stopped after {progress.Step} steps: MaxTrainingTime {_options.MaxTrainingTime} reached");
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
    /// Mean conditional bits/dim (per original pixel) of <paramref name="pixels"/> (UInt8 [N, C, H, W]) given
    /// <paramref name="labels"/> (class indices Int64 [N], or condition images UInt8 or Float32 [N, Cc, H, W]), with uniform dequantisation noise seeded from this training's seed.
    /// </summary>
    public double Evaluate(ConditionalInnModel model, torch.Tensor pixels, torch.Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckData(pixels, labels, "evaluation");
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
                var x = GlowInput.Prepare(pixels.narrow(0, start, length).to(torch.float32, _device), _options.NumberOfBits, Architecture.Height, Architecture.Width, dequantize: true);
                using var density = model.Evaluate(x, ModelCondition(labels.narrow(0, start, length).to(_device)));
                sum += BitsPerDim(density.LogDensity).sum().item<float>();
            }

            return sum / count;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private torch.Tensor BitsPerDim(torch.Tensor logDensity) =>
        GlowInput.BitsPerDim(logDensity, Architecture.Dimensions, ReportedDimensions, _options.NumberOfBits);

    /// <summary>What the model's condition encoder takes: class indices as they are, condition images prepared.</summary>
    private torch.Tensor ModelCondition(torch.Tensor conditions) => Architecture.Condition == ConditionKind.Image
        ? ImageConditionInput.Prepare(conditions, Architecture.Height, Architecture.Width)
        : conditions;

    private void CheckData(torch.Tensor pixels, torch.Tensor labels, string role)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        long[] expected = [_options.Channels, _options.ImageHeight, _options.ImageWidth];
        if (pixels.Dimensions != 4 || !pixels.shape[1..].SequenceEqual(expected) || pixels.shape[0] < 1 || pixels.dtype != torch.ScalarType.Byte)
        {
            throw new ArgumentException($"{role} pixels must be UInt8 of shape [N ≥ 1, {string.Join(", ", expected)}], got {pixels.dtype} [{string.Join(", ", pixels.shape)}]");
        }

        if (Architecture.Condition == ConditionKind.Image)
        {
            long[] condition = [pixels.shape[0], _options.ConditionImageChannels, _options.ImageHeight, _options.ImageWidth];
            if (!labels.shape.SequenceEqual(condition) || labels.dtype is not (torch.ScalarType.Byte or torch.ScalarType.Float32))
            {
                throw new ArgumentException($"{role} condition images must be UInt8 or Float32 pixel values of shape [{string.Join(", ", condition)}] (one per image), got {labels.dtype} [{string.Join(", ", labels.shape)}]");
            }

            return;
        }

        if (labels.Dimensions != 1 || labels.shape[0] != pixels.shape[0] || labels.dtype != torch.ScalarType.Int64)
        {
            throw new ArgumentException($"{role} labels must be Int64 of shape [{pixels.shape[0]}] (one class index per image), got {labels.dtype} [{string.Join(", ", labels.shape)}]");
        }

        using var scope = torch.NewDisposeScope();
        var (min, max) = (labels.min().item<long>(), labels.max().item<long>());
        if (min < 0 || max >= Architecture.NumberOfClasses)
        {
            throw new ArgumentException($"{role} labels must be class indices in 0 … {Architecture.NumberOfClasses - 1}, got values from {min} to {max}");
        }
    }

    private ConditionalInnProgress RunEpoch(RunState state, ConditionalInnProgress progress, torch.Tensor? validation, torch.Tensor? validationLabels)
    {
        var stopwatch = Stopwatch.StartNew();
        var firstBatch = progress.BatchInEpoch;
        var batch = state.Run.BatchSize;
        state.Model.train();
        var order = SeedSequence.Permutation(_seed, SeedSequence.ShuffleStream, progress.Epoch, (int)state.Run.TrainingRows);
        var lastBatch = state.BatchesPerEpoch;
        for (var b = firstBatch; b < state.BatchesPerEpoch; b++)
        {
            if (OutOfTime)
            {
                lastBatch = b;
                break;
            }

            if (_options.CancellationToken.IsCancellationRequested)
            {
                SaveCheckpoint(state, progress);
                _options.CancellationToken.ThrowIfCancellationRequested();
            }

            progress = Step(state, order.AsSpan(b * batch, batch), progress) with { BatchInEpoch = b + 1 };
            _options.StepCallback?.Invoke(new ConditionalInnStepReport(progress.Step, progress.Epoch + 1, b + 1, state.BatchesPerEpoch, progress.EpochLossSum / progress.EpochLossCount));
            if (progress.Step % _options.CheckpointEverySteps == 0)
            {
                SaveCheckpoint(state, progress);
            }
        }

        var imagesPerSecond = (lastBatch - firstBatch) * batch / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-9);
        var trainBitsPerDim = progress.EpochLossCount > 0 ? progress.EpochLossSum / progress.EpochLossCount : double.NaN;
        double? validationBitsPerDim = validation is null ? null
            : state.Average is { } average ? average.Applied(() => Evaluate(state.Model, validation, validationLabels!))
            : Evaluate(state.Model, validation, validationLabels!);
        var report = new ConditionalInnEpochReport(progress.Epoch + 1, progress.Step, trainBitsPerDim, validationBitsPerDim, imagesPerSecond);
        _log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"Conditional INN epoch {report.Epoch}/{_options.NumberOfEpochs}: train {report.TrainBitsPerDim:F4} bits/dim, validation {(validationBitsPerDim is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")} bits/dim, {report.ImagesPerSecond:F0} images/s"));
        _options.ProgressCallback?.Invoke(report);
        var next = progress with { Epoch = progress.Epoch + 1, BatchInEpoch = 0, EpochLossSum = 0, EpochLossCount = 0, History = [.. progress.History, report] };
        // Stopped by MaxTrainingTime inside the epoch: the checkpoint keeps the batch reached, so a resumed run finishes
        // the epoch (and reports it whole) instead of skipping its remaining batches.
        SaveCheckpoint(state, lastBatch < state.BatchesPerEpoch ? progress : next);
        return next;
    }

    private ConditionalInnProgress Step(RunState state, ReadOnlySpan<int> rows, ConditionalInnProgress progress)
    {
        var step = progress.Step + 1;
        TorchSeeding.Reseed(SeedSequence.Derive(_seed, SeedSequence.StepStream, step), _device);
        using var scope = torch.NewDisposeScope();
        var values = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = rows[i];
        }

        var indices = torch.tensor(values, device: _device);
        var x = GlowInput.Prepare(state.Pixels.index_select(0, indices).to(torch.float32), _options.NumberOfBits, Architecture.Height, Architecture.Width, dequantize: true);
        if (_options.NoiseStandardDeviation > 0)
        {
            x = x.add(torch.randn_like(x).mul(Scalars.Of(_options.NoiseStandardDeviation)), Scalars.One);
        }

        using var density = state.Model.Evaluate(x, ModelCondition(state.Labels.index_select(0, indices)));
        var loss = BitsPerDim(density.LogDensity).mean();
        var value = (double)loss.item<float>();
        if (!double.IsFinite(value))
        {
            throw new InvalidOperationException($"conditional INN training diverged at step {step} (a non-finite loss); lower LearningRate (now {_options.LearningRate}) or SoftClamp, or set GradientClipNorm");
        }

        state.Optimizer.ZeroGrad();
        loss.backward();
        if (_options.GradientClipNorm is { } maxNorm)
        {
            torch.nn.utils.clip_grad_norm_(state.Parameters, maxNorm);
        }

        state.Optimizer.LearningRate = state.Run.LearningRateAt(step);
        state.Optimizer.Step();
        state.Average?.Update();

        return progress with { Step = step, EpochLossSum = progress.EpochLossSum + value, EpochLossCount = progress.EpochLossCount + 1 };
    }

    private void SaveCheckpoint(RunState state, ConditionalInnProgress progress)
    {
        if (_options.CheckpointDirectory is { } directory)
        {
            ConditionalInnCheckpoint.Save(directory, state.Model, state.Optimizer, state.Average, state.Run, progress);
        }
    }

    /// <summary>What every epoch of one run shares.</summary>
    private sealed record RunState(ConditionalInnModel Model, AdamOptimizer Optimizer, ExponentialMovingAverage? Average, ConditionalInnRunIdentity Run, torch.Tensor Pixels, torch.Tensor Labels, int BatchesPerEpoch)
    {
        public IReadOnlyList<Parameter> Parameters { get; } = Model.parameters().ToList();
    }
}
