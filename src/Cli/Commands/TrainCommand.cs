using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Cli.Data;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Estimators.Anomaly;
using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.Glow;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands;

/// <summary>
/// <c>mlnetflows train glow</c>: trains a Glow anomaly detector (density model + threshold) with
/// <c>mlContext.AnomalyDetection.Trainers.Glow</c> and saves it with <c>mlContext.Model.Save</c>.
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
        var warmup = CommonOptions.Warmup(GlowTrainerOptions.Defaults.WarmupSteps);
        var schedule = CommonOptions.LearningRateSchedule(GlowTrainerOptions.Defaults.Schedule);
        var bits = new Option<int>("--bits") { DefaultValueFactory = _ => GlowTrainerOptions.Defaults.NumberOfBits };
        var coupling = new Option<CouplingKind>("--coupling") { DefaultValueFactory = _ => GlowArchitecture.Defaults.Coupling };
        var clip = new Option<double?>("--clip-grad-norm") { Description = "Gradient-norm clipping (off by default)." };
        var averaging = CommonOptions.WeightAveragingDecay(GlowTrainerOptions.Defaults.WeightAveragingDecay);
        var spike = new Option<double>("--loss-spike-factor")
        {
            Description = "Skip a step whose loss exceeds this multiple of the running mean loss; 0 never skips a finite loss.",
            DefaultValueFactory = _ => GlowTrainerOptions.Defaults.LossSpikeFactor,
        };
        var validation = new Option<double>("--validation-fraction") { DefaultValueFactory = _ => GlowTrainerOptions.Defaults.ValidationFraction };
        var checkpoints = new Option<string?>("--checkpoint-dir") { Description = "Write checkpoints here and resume from the one found (Ctrl+C writes one and stops)." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints (one is also written at every epoch's end).", DefaultValueFactory = _ => GlowTrainerOptions.Defaults.CheckpointEverySteps };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Stop training after this many minutes and keep the model." };
        var device = CommonOptions.Device();
        var scoreKind = new Option<AnomalyScoreKind>("--score-kind") { DefaultValueFactory = _ => GlowAnomalyOptions.Defaults.ScoreKind };
        var falsePositiveRate = new Option<double>("--false-positive-rate") { DefaultValueFactory = _ => GlowAnomalyOptions.Defaults.TargetFalsePositiveRate };
        var onBadImage = CommonOptions.OnBadImage();
        var limit = CommonOptions.Limit();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var glow = new Command("glow", "Train a Glow anomaly detector and save it as a model zip.")
        {
            data, output, epochs, batchSize, levels, steps, hidden, learningRate, warmup, schedule, bits, coupling, clip, averaging, spike, validation,
            checkpoints, checkpointEvery, maxMinutes, device, scoreKind, falsePositiveRate, onBadImage, limit, seed, threads,
        };
        glow.SetAction(r =>
        {
            var options = new GlowAnomalyOptions
            {
                ImageHeight = ImageInput.Side, ImageWidth = ImageInput.Side, Channels = 1, NumberOfEpochs = r.GetValue(epochs), BatchSize = r.GetValue(batchSize),
                Levels = r.GetValue(levels), StepsPerLevel = r.GetValue(steps), HiddenChannels = r.GetValue(hidden),
                LearningRate = r.GetValue(learningRate), WarmupSteps = r.GetValue(warmup), LearningRateSchedule = r.GetValue(schedule), NumberOfBits = r.GetValue(bits),
                Coupling = r.GetValue(coupling), GradientClipNorm = r.GetValue(clip),
                WeightAveragingDecay = CommonOptions.OffWhenZero(r.GetValue(averaging)), LossSpikeFactor = CommonOptions.OffWhenZero(r.GetValue(spike)), ValidationFraction = r.GetValue(validation),
                CheckpointDirectory = r.GetValue(checkpoints), CheckpointEverySteps = r.GetValue(checkpointEvery), Device = r.GetValue(device)!, ScoreKind = r.GetValue(scoreKind),
                TargetFalsePositiveRate = r.GetValue(falsePositiveRate), Seed = r.GetValue(seed),
                MaxTrainingTime = r.GetValue(maxMinutes) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
            };
            Validate(options);
            var specs = DataSpec.ParseInput(r.GetValue(data)!);
            OutputFiles.RequireFolder(r.GetValue(output)!, "--output");
            if (options.CheckpointDirectory is { } checkpointFolder)
            {
                OutputFiles.RequireWritableFolder(checkpointFolder, "--checkpoint-dir");
            }

            TorchSettings.Apply(r.GetValue(threads));
            TorchSettings.RequireDevice(options.Device);
            using var cancel = CancelOnCtrlC(options);
            using var detector = Run(options, specs, r.GetValue(limit), r.GetValue(onBadImage), r.GetValue(output)!);
            return 0;
        });
        return new Command("train", "Train a model.") { glow, InfoGan.InfoGanTrainCommand.Create(), Cinn.CinnTrainCommand.Create() };
    }

    /// <summary>
    /// Trains (checked options and specs) and saves the detector; returns it (the demo goes on using it). Progress goes to
    /// stderr, the per-epoch figures and the saved file to stdout.
    /// </summary>
    public static GlowAnomalyTransformer Run(GlowAnomalyOptions options, IReadOnlyList<DataSpec> data, int? limit, BadImageHandling onBadImage, string output, Action<GlowStepReport>? onStep = null)
    {
        var ml = new MLContext(options.Seed);
        var input = ImageInput.Load(ml, data, Shard.All, limit, onBadImage, options.Seed ?? 0);
        var progress = new ProgressBar("train", 0, "steps");
        long lastStep = 0;
        ml.Log += (_, e) =>
        {
            if (e.Kind is ChannelMessageKind.Warning or ChannelMessageKind.Error || (e.Kind == ChannelMessageKind.Info && e.Source?.StartsWith("Glow", StringComparison.Ordinal) == true))
            {
                progress.Log(e.RawMessage);
            }
        };
        options.StepCallback = step =>
        {
            lastStep = step.Step;
            progress.SetTotal((long)step.BatchesPerEpoch * options.NumberOfEpochs);
            progress.Report(step.Step, string.Create(CultureInfo.InvariantCulture, $"epoch {step.Epoch}, {step.BitsPerDim:F3} bits/dim"));
            onStep?.Invoke(step);
        };
        Console.WriteLine($"training Glow (L={options.Levels}, K={options.StepsPerLevel}, hidden {options.HiddenChannels}) on {input.ExpectedRows} images of {input.Name} for {options.NumberOfEpochs} epochs");
        var detector = Fit(ml, options, input);
        try
        {
            progress.Complete(lastStep);
            input.ReportBadImages();
            var schema = new DataViewSchema.Builder();
            schema.AddColumn(ImageInput.FeaturesColumn, input.Data.Schema[ImageInput.FeaturesColumn].Type);
            OutputFiles.Write(output, stream => ml.Model.Save(detector, schema.ToSchema(), stream));
            foreach (var epoch in detector.Density.TrainingHistory)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch.Epoch}: train {epoch.TrainBitsPerDim:F4} bits/dim, validation {epoch.ValidationBitsPerDim:F4} bits/dim (per original pixel), {epoch.ImagesPerSecond:F0} images/s"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {output} (threshold {detector.Threshold:F4}, score {detector.ScoreKind})"));
            return detector;
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    /// <summary>Checks the options before any work, reporting the option's own message (the library's wording, which names the option).</summary>
    public static void Validate(GlowAnomalyOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliFailureException(CliErrors.MessageOf(e), e);
        }
    }

    private static GlowAnomalyTransformer Fit(MLContext ml, GlowAnomalyOptions options, ImageInput input)
    {
        try
        {
            return ml.AnomalyDetection.Trainers.Glow(options).Fit(input.Data);
        }
        catch (InvalidOperationException e) when (e.TargetSite?.DeclaringType == typeof(GlowTraining))
        {
            // The training loop's only InvalidOperationException: the run diverged (the message says how to fix it).
            throw new CliFailureException(e.Message, e);
        }
    }

    /// <summary>
    /// The first Ctrl+C cancels training between steps (after a checkpoint when checkpoints are on: the run resumes from
    /// it) and the command exits with 130; a second one ends the process at once.
    /// </summary>
    private static IDisposable CancelOnCtrlC(GlowTrainerOptions options)
    {
        var source = new CancellationTokenSource();
        options.CancellationToken = source.Token;
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            if (!source.IsCancellationRequested)
            {
                e.Cancel = true;
                Console.Error.WriteLine();
                Console.Error.WriteLine("mlnetflows: stopping after this step (Ctrl+C again to stop now)");
                source.Cancel();
            }
        };
        Console.CancelKeyPress += handler;
        return new Registration(() =>
        {
            Console.CancelKeyPress -= handler;
            source.Dispose();
        });
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
