using System.CommandLine;
using System.Globalization;
using MLNetFlows.Cli.Data;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.Glow;

namespace MLNetFlows.Cli.Commands;

/// <summary>
/// <c>mlnetflows train glow</c>: trains a Glow anomaly detector (density model + threshold) and saves it as a model zip.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data("Training images: built-in set(s) (fashion-mnist, ...), a folder of PNG/JPEG files, or a CSV of paths (resized to 28×28 gray).", "fashion-mnist");
        var output = new Option<string>("--output") { Description = "Model zip to write.", DefaultValueFactory = _ => "glow.zip" };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => GlowTrainerOptions.Defaults.NumberOfEpochs };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => GlowTrainerOptions.Defaults.BatchSize };
        // 2 levels by default: 28×28 is divisible by 2², so no padded pixels have to be modelled (see GlowInput).
        var levels = new Option<int>("--levels") { Description = "Levels L (2 fits 28×28 without padding).", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { Description = "Steps of flow per level (K).", DefaultValueFactory = _ => GlowArchitecture.Defaults.StepsPerLevel };
        var hidden = new Option<int>("--hidden") { Description = "Hidden channels of the coupling networks.", DefaultValueFactory = _ => GlowArchitecture.Defaults.HiddenChannels };
        var learningRate = new Option<double>("--learning-rate") { DefaultValueFactory = _ => GlowTrainerOptions.Defaults.LearningRate };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up steps.", DefaultValueFactory = _ => GlowTrainerOptions.Defaults.WarmupSteps };
        var schedule = new Option<LearningRateSchedule>("--lr-schedule") { Description = "Learning rate after the warm-up: Constant, or Cosine down to 0 at the last epoch.", DefaultValueFactory = _ => GlowTrainerOptions.Defaults.Schedule };
        var bits = new Option<int>("--bits") { DefaultValueFactory = _ => GlowTrainerOptions.Defaults.NumberOfBits };
        var coupling = new Option<CouplingKind>("--coupling") { DefaultValueFactory = _ => GlowArchitecture.Defaults.Coupling };
        var clip = new Option<double?>("--clip-grad-norm") { Description = "Gradient-norm clipping (off by default)." };
        var averaging = new Option<double>("--weight-averaging-decay")
        {
            Description = "Decay of the moving average of the weights (Polyak averaging) that validation and the saved model use; 0 keeps the raw weights.",
            DefaultValueFactory = _ => GlowTrainerOptions.Defaults.WeightAveragingDecay,
        };
        var spike = new Option<double>("--loss-spike-factor")
        {
            Description = "Skip a step whose loss exceeds this multiple of the running mean loss; 0 never skips a finite loss.",
            DefaultValueFactory = _ => GlowTrainerOptions.Defaults.LossSpikeFactor,
        };
        var validation = new Option<double>("--validation-fraction") { DefaultValueFactory = _ => GlowTrainerOptions.Defaults.ValidationFraction };
        var checkpoints = new Option<string?>("--checkpoint-dir") { Description = "Write checkpoints here and resume from the one found." };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Stop training after this many minutes and keep the model." };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => GlowTrainerOptions.Defaults.Device };
        var scoreKind = new Option<AnomalyScoreKind>("--score-kind") { DefaultValueFactory = _ => GlowAnomalyOptions.Defaults.ScoreKind };
        var falsePositiveRate = new Option<double>("--false-positive-rate") { DefaultValueFactory = _ => GlowAnomalyOptions.Defaults.TargetFalsePositiveRate };
        var limit = CommonOptions.Limit();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var glow = new Command("glow", "Train a Glow anomaly detector and save it as a model zip.")
        {
            data, output, epochs, batchSize, levels, steps, hidden, learningRate, warmup, schedule, bits, coupling, clip, averaging, spike, validation, checkpoints, maxMinutes, device, scoreKind, falsePositiveRate, limit, seed, threads,
        };
        glow.SetAction(r =>
        {
            TorchSettings.Apply(r.GetValue(threads));
            var options = new GlowAnomalyOptions
            {
                ImageHeight = 28, ImageWidth = 28, Channels = 1, NumberOfEpochs = r.GetValue(epochs), BatchSize = r.GetValue(batchSize),
                Levels = r.GetValue(levels), StepsPerLevel = r.GetValue(steps), HiddenChannels = r.GetValue(hidden),
                LearningRate = r.GetValue(learningRate), WarmupSteps = r.GetValue(warmup), LearningRateSchedule = r.GetValue(schedule), NumberOfBits = r.GetValue(bits),
                Coupling = r.GetValue(coupling), GradientClipNorm = r.GetValue(clip),
                WeightAveragingDecay = OffWhenZero(r.GetValue(averaging)), LossSpikeFactor = OffWhenZero(r.GetValue(spike)), ValidationFraction = r.GetValue(validation),
                CheckpointDirectory = r.GetValue(checkpoints), Device = r.GetValue(device)!, ScoreKind = r.GetValue(scoreKind),
                TargetFalsePositiveRate = r.GetValue(falsePositiveRate), Seed = r.GetValue(seed),
                MaxTrainingTime = r.GetValue(maxMinutes) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
            };
            Run(options, r.GetValue(data)!, r.GetValue(limit), r.GetValue(output)!);
            return 0;
        });
        return new Command("train", "Train a model.") { glow };
    }

    /// <summary>Trains and saves; returns the detector (the demo goes on using it).</summary>
    public static GlowAnomalyTransformer Run(GlowAnomalyOptions options, IReadOnlyList<string> data, int? limit, string output, Action<GlowStepReport>? onStep = null)
    {
        var ml = new MLContext(options.Seed);
        ml.Log += (_, e) => Console.Error.WriteLine(e.Message);
        var (input, diagnostics) = ImageSets.Load(ml, data, Shard.All, limit, options.Seed ?? 0);
        var rows = input.GetRowCount() ?? CountRows(input);
        var progress = new ProgressBar("train", (long)(rows * (1 - options.ValidationFraction) / options.BatchSize) * options.NumberOfEpochs, "steps");
        options.StepCallback = step =>
        {
            progress.Report(step.Step, string.Create(CultureInfo.InvariantCulture, $"epoch {step.Epoch}, {step.BitsPerDim:F3} bits/dim"));
            onStep?.Invoke(step);
        };
        Console.WriteLine($"training Glow (L={options.Levels}, K={options.StepsPerLevel}, hidden {options.HiddenChannels}) on {rows} images of {string.Join(", ", data)} for {options.NumberOfEpochs} epochs");
        var detector = ml.AnomalyDetection.Trainers.Glow(options).Fit(input);
        if (diagnostics is not null)
        {
            ImageFiles.Report(diagnostics);
        }

        ml.Model.Save(detector, input.Schema, output);
        foreach (var epoch in detector.Density.TrainingHistory)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch.Epoch}: train {epoch.TrainBitsPerDim:F4} bits/dim, validation {epoch.ValidationBitsPerDim:F4} bits/dim (per original pixel), {epoch.ImagesPerSecond:F0} images/s"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {output} (threshold {detector.Threshold:F4}, score {detector.ScoreKind})"));
        return detector;
    }

    private static double? OffWhenZero(double value) => value == 0 ? null : value;

    private static long CountRows(IDataView data)
    {
        long count = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            count++;
        }

        return count;
    }
}
