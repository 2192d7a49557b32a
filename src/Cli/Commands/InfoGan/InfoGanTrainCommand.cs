using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetFlows.Cli.Data;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Estimators.InfoGan;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Trainers.InfoGan;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Commands.InfoGan;

/// <summary>
/// <c>mlnetflows train infogan</c>: trains InfoGAN with <c>mlContext.Transforms.InfoGan</c> on 28×28 gray images
/// (built-in mnist or fashion-mnist, a folder or a CSV of paths) and saves it with <c>mlContext.Model.Save</c>.
/// </summary>
internal static class InfoGanTrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data("Training images: built-in set(s) (mnist, fashion-mnist, ...), a folder of PNG/JPEG files, or a CSV of paths (resized to 28×28 gray).", "mnist");
        var output = new Option<string>("--output") { Description = "Model zip to write.", DefaultValueFactory = _ => ModelFile.DefaultInfoGanPath };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => InfoGanTrainerOptions.Defaults.NumberOfEpochs };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => InfoGanTrainerOptions.Defaults.BatchSize };
        var noise = new Option<int>("--noise") { Description = "Incompressible noise variables.", DefaultValueFactory = _ => InfoGanArchitecture.Defaults.NoiseSize };
        var categories = new Option<int[]>("--categories")
        {
            Description = "Classes of each categorical code (several codes: --categories 10 5).",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [InfoGanArchitecture.Defaults.CategoryCount],
        };
        var continuous = new Option<int>("--continuous-codes") { Description = "Continuous codes, uniform in [-1, 1].", DefaultValueFactory = _ => InfoGanArchitecture.Defaults.ContinuousCodes };
        var learnStd = new Option<bool>("--learn-std") { Description = "Q learns the continuous codes' standard deviation (else 1)." };
        var generatorRate = new Option<double>("--g-learning-rate") { DefaultValueFactory = _ => InfoGanTrainerOptions.Defaults.GeneratorLearningRate };
        var discriminatorRate = new Option<double>("--d-learning-rate") { DefaultValueFactory = _ => InfoGanTrainerOptions.Defaults.DiscriminatorLearningRate };
        var categoricalWeight = new Option<double>("--categorical-weight") { Description = "λ of the categorical information term.", DefaultValueFactory = _ => InfoGanTrainerOptions.Defaults.CategoricalWeight };
        var continuousWeight = new Option<double>("--continuous-weight") { Description = "λ of the continuous information term.", DefaultValueFactory = _ => InfoGanTrainerOptions.Defaults.ContinuousWeight };
        var realInformation = new Option<double>("--real-information-weight") { Description = "λ of the information term on real images (0 = off, the paper's objective).", DefaultValueFactory = _ => InfoGanTrainerOptions.Defaults.RealInformationWeight };
        var realInformationStart = new Option<int>("--real-information-start") { Description = "The first step with the real-image information term." };
        var averaging = CommonOptions.WeightAveragingDecay(0);
        var onCollapse = new Option<ModeCollapseAction>("--on-mode-collapse") { Description = "Stop or Warn when a mode collapse persists.", DefaultValueFactory = _ => InfoGanTrainerOptions.Defaults.OnModeCollapse };
        var checkpoints = new Option<string?>("--checkpoint-dir") { Description = "Write checkpoints here and resume from the one found." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints (one is also written at every epoch's end).", DefaultValueFactory = _ => InfoGanTrainerOptions.Defaults.CheckpointEverySteps };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Stop training after this many minutes and keep the model." };
        var samplesDir = new Option<string?>("--samples-dir") { Description = "Folder for a sample grid PNG per epoch (rows = categories, the same noise every epoch); default: <output name>-samples beside the model zip." };
        var noSamples = new Option<bool>("--no-samples") { Description = "Write no per-epoch sample grids." };
        var device = CommonOptions.Device();
        var onBadImage = CommonOptions.OnBadImage();
        var limit = CommonOptions.Limit();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var command = new Command("infogan", "Train InfoGAN (interpretable codes: category and continuous factors) and save it as a model zip.")
        {
            data, output, epochs, batchSize, noise, categories, continuous, learnStd, generatorRate, discriminatorRate, categoricalWeight, continuousWeight,
            realInformation, realInformationStart, averaging, onCollapse, checkpoints, checkpointEvery, maxMinutes, samplesDir, noSamples, device, onBadImage, limit, seed, threads,
        };
        command.SetAction(r =>
        {
            var options = new InfoGanEstimator.Options
            {
                ImageHeight = ImageInput.Side, ImageWidth = ImageInput.Side, Channels = 1, FeatureColumnName = ImageInput.FeaturesColumn,
                NumberOfEpochs = r.GetValue(epochs), BatchSize = r.GetValue(batchSize), NoiseSize = r.GetValue(noise),
                CategoryCounts = r.GetValue(categories)!, ContinuousCodes = r.GetValue(continuous), LearnContinuousStd = r.GetValue(learnStd),
                GeneratorLearningRate = r.GetValue(generatorRate), DiscriminatorLearningRate = r.GetValue(discriminatorRate),
                CategoricalWeight = r.GetValue(categoricalWeight), ContinuousWeight = r.GetValue(continuousWeight), OnModeCollapse = r.GetValue(onCollapse),
                RealInformationWeight = r.GetValue(realInformation), RealInformationStartStep = r.GetValue(realInformationStart),
                WeightAveragingDecay = CommonOptions.OffWhenZero(r.GetValue(averaging)),
                CheckpointDirectory = r.GetValue(checkpoints), CheckpointEverySteps = r.GetValue(checkpointEvery), Device = r.GetValue(device)!, Seed = r.GetValue(seed),
                MaxTrainingTime = r.GetValue(maxMinutes) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
                SampleGridDirectory = r.GetValue(noSamples) ? null : r.GetValue(samplesDir) ?? DefaultSamplesDirectory(r.GetValue(output)!),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliFailureException(CliErrors.MessageOf(e), e);
            }

            var specs = DataSpec.ParseInput(r.GetValue(data)!);
            OutputFiles.RequireFolder(r.GetValue(output)!, "--output");
            if (options.CheckpointDirectory is { } checkpointFolder)
            {
                OutputFiles.RequireWritableFolder(checkpointFolder, "--checkpoint-dir");
            }

            if (options.SampleGridDirectory is { } samplesFolder)
            {
                OutputFiles.RequireWritableFolder(samplesFolder, "--samples-dir");
            }

            TorchSettings.Apply(r.GetValue(threads));
            TorchSettings.RequireDevice(options.Device);
            Run(options, specs, r.GetValue(limit), r.GetValue(onBadImage), r.GetValue(output)!);
            return 0;
        });
        return command;
    }

    /// <summary>The sample grids' default folder: beside the model zip, named after it (<c>model.zip</c> → <c>model-samples</c>).</summary>
    private static string DefaultSamplesDirectory(string output) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, Path.GetFileNameWithoutExtension(output) + "-samples");

    /// <summary>Trains and saves; progress and warnings go to stderr, the per-epoch figures and the saved file to stdout.</summary>
    private static void Run(InfoGanEstimator.Options options, IReadOnlyList<DataSpec> data, int? limit, BadImageHandling onBadImage, string output)
    {
        var ml = new MLContext(options.Seed);
        var input = ImageInput.Load(ml, data, Shard.All, limit, onBadImage, options.Seed);
        var progress = new ProgressBar("train", 0, "steps");
        long lastStep = 0;
        ml.Log += (_, e) =>
        {
            if (e.Kind is ChannelMessageKind.Warning or ChannelMessageKind.Error || (e.Kind == ChannelMessageKind.Info && e.Source?.StartsWith("InfoGan", StringComparison.Ordinal) == true))
            {
                progress.Log(e.RawMessage);
            }
        };
        options.StepCallback = step =>
        {
            lastStep = step.Step;
            progress.SetTotal((long)step.BatchesPerEpoch * options.NumberOfEpochs);
            progress.Report(step.Step, string.Create(CultureInfo.InvariantCulture, $"epoch {step.Epoch}"));
        };
        Console.WriteLine($"training InfoGAN (noise {options.NoiseSize}, categorical codes [{string.Join(", ", options.CategoryCounts)}], {options.ContinuousCodes} continuous) on {input.ExpectedRows} images of {input.Name} for {options.NumberOfEpochs} epochs");
        InfoGanTransformer model;
        try
        {
            model = ml.Transforms.InfoGan(options).Fit(input.Data);
        }
        catch (InfoGanModeCollapseException e)
        {
            throw new CliFailureException(e.Message, e);
        }

        using (model)
        {
            progress.Complete(lastStep);
            input.ReportBadImages();
            var schema = new DataViewSchema.Builder();
            schema.AddColumn(ImageInput.FeaturesColumn, input.Data.Schema[ImageInput.FeaturesColumn].Type);
            OutputFiles.Write(output, stream => ml.Model.Save(model, schema.ToSchema(), stream));
            foreach (var epoch in model.TrainingHistory)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch.Epoch}: D loss {epoch.DiscriminatorLoss:F4}, G loss {epoch.GeneratorLoss:F4}, MI categorical {epoch.CategoricalInformation:F3} nats, continuous {epoch.ContinuousInformation:F3} nats, code entropy {epoch.CodeEntropy:F3}, {epoch.ImagesPerSecond:F0} images/s{(epoch.ModeCollapse is { } collapse ? $" ({collapse})" : string.Empty)}"));
            }

            Console.WriteLine($"saved {output}");
        }
    }
}
