using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MLNetFlows.Cli.Reporting;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// <c>mlnetflows train cinn</c>: trains a class-conditional INN with <c>mlContext.Transforms.ConditionalInn</c> on a
/// labelled built-in set (fashion-mnist or mnist) and saves it with <c>mlContext.Model.Save</c>.
/// </summary>
internal static class CinnTrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = $"Labelled training set: {string.Join(", ", CinnData.Names)}.", DefaultValueFactory = _ => "fashion-mnist" };
        var output = new Option<string>("--output") { Description = "Model zip to write.", DefaultValueFactory = _ => ModelFile.DefaultConditionalInnPath };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => ConditionalInnTrainerOptions.Defaults.NumberOfEpochs };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => ConditionalInnTrainerOptions.Defaults.BatchSize };
        var levels = new Option<int>("--levels") { DefaultValueFactory = _ => ConditionalInnArchitecture.Defaults.Levels };
        var blocks = new Option<int>("--blocks") { Description = "Coupling blocks per level.", DefaultValueFactory = _ => ConditionalInnArchitecture.Defaults.BlocksPerLevel };
        var hidden = new Option<int>("--hidden") { Description = "Hidden channels of each coupling subnetwork.", DefaultValueFactory = _ => ConditionalInnArchitecture.Defaults.HiddenChannels };
        var downsampling = new Option<DownsamplingKind>("--downsampling") { DefaultValueFactory = _ => ConditionalInnArchitecture.Defaults.Downsampling };
        var encoding = new Option<ClassEncoding>("--class-encoding") { DefaultValueFactory = _ => ConditionalInnArchitecture.Defaults.ClassEncoding };
        var prior = new Option<LatentPrior?>("--latent-prior") { Description = "StandardNormal (the paper's) or ClassGaussian (a learned Gaussian per class); by default ClassGaussian for classes, StandardNormal for colorization." };
        var learningRate = new Option<double>("--learning-rate") { DefaultValueFactory = _ => ConditionalInnTrainerOptions.Defaults.LearningRate };
        var warmup = CommonOptions.Warmup(ConditionalInnTrainerOptions.Defaults.WarmupSteps);
        var schedule = CommonOptions.LearningRateSchedule(ConditionalInnTrainerOptions.Defaults.Schedule);
        var weightDecay = new Option<double>("--weight-decay") { DefaultValueFactory = _ => ConditionalInnTrainerOptions.Defaults.WeightDecay };
        var noise = new Option<double>("--noise") { Description = "Standard deviation of the Gaussian noise added to the model input in training.", DefaultValueFactory = _ => ConditionalInnTrainerOptions.Defaults.NoiseStandardDeviation };
        var averaging = CommonOptions.WeightAveragingDecay(ConditionalInnTrainerOptions.Defaults.WeightAveragingDecay);
        var validation = new Option<double>("--validation-fraction") { DefaultValueFactory = _ => ConditionalInnTrainerOptions.Defaults.ValidationFraction };
        var checkpoints = new Option<string?>("--checkpoint-dir") { Description = "Write checkpoints here and resume from the one found." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints (one is also written at every epoch's end).", DefaultValueFactory = _ => ConditionalInnTrainerOptions.Defaults.CheckpointEverySteps };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Stop training after this many minutes and keep the model." };
        var device = CommonOptions.Device();
        var limit = CommonOptions.Limit();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var colorization = CinnColorizationTraining.CreateOption();
        var command = new Command("cinn", "Train a class-conditional INN (conditional density, Bayes classifier, class-conditional sampling) and save it as a model zip.")
        {
            data, output, epochs, batchSize, levels, blocks, hidden, downsampling, encoding, prior, learningRate, warmup, schedule, weightDecay, noise, averaging, validation,
            checkpoints, checkpointEvery, maxMinutes, device, limit, seed, threads, colorization,
        };
        command.SetAction(r =>
        {
            var options = new ConditionalInnTrainerOptions
            {
                ImageHeight = 28, ImageWidth = 28, Channels = 1, FeatureColumnName = ImageDatasetColumns.Features, LabelColumnName = ImageDatasetColumns.Label,
                NumberOfEpochs = r.GetValue(epochs), BatchSize = r.GetValue(batchSize), Levels = r.GetValue(levels), BlocksPerLevel = r.GetValue(blocks),
                HiddenChannels = r.GetValue(hidden), Downsampling = r.GetValue(downsampling), ClassEncoding = r.GetValue(encoding), LatentPrior = r.GetValue(prior),
                LearningRate = r.GetValue(learningRate), WarmupSteps = r.GetValue(warmup), LearningRateSchedule = r.GetValue(schedule), WeightDecay = r.GetValue(weightDecay), NoiseStandardDeviation = r.GetValue(noise),
                WeightAveragingDecay = CommonOptions.OffWhenZero(r.GetValue(averaging)),
                ValidationFraction = r.GetValue(validation), CheckpointDirectory = r.GetValue(checkpoints), CheckpointEverySteps = r.GetValue(checkpointEvery),
                Device = r.GetValue(device)!, Seed = r.GetValue(seed),
                MaxTrainingTime = r.GetValue(maxMinutes) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
            };
            if (r.GetValue(colorization) is not null)
            {
                CinnColorizationTraining.Configure(options);
            }

            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliFailureException(CliErrors.MessageOf(e), e);
            }

            OutputFiles.RequireFolder(r.GetValue(output)!, "--output");
            if (options.CheckpointDirectory is { } checkpointFolder)
            {
                OutputFiles.RequireWritableFolder(checkpointFolder, "--checkpoint-dir");
            }

            TorchSettings.Apply(r.GetValue(threads));
            TorchSettings.RequireDevice(options.Device);
            if (r.GetValue(colorization) is { } colorizationSource)
            {
                CinnColorizationTraining.Run(options, colorizationSource, r.GetValue(limit), r.GetValue(output)!);
                return 0;
            }

            Run(options, r.GetValue(data)!, r.GetValue(limit), r.GetValue(output)!);
            return 0;
        });
        return command;
    }

    /// <summary>Trains and saves; progress goes to stderr, the per-epoch figures and the saved file to stdout.</summary>
    private static void Run(ConditionalInnTrainerOptions options, string dataName, int? limit, string output)
    {
        var ml = new MLContext(options.Seed);
        var input = CinnData.Load(ml, dataName, limit, "--data");
        var report = new CinnTrainingOutput(options);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training a conditional INN ({options.Levels} levels × {options.BlocksPerLevel} blocks, {options.HiddenChannels} hidden channels, {options.Downsampling} downsampling) on {dataName} for {options.NumberOfEpochs} epochs"));
        using var model = ml.Transforms.ConditionalInn(options).Fit(input);
        var schema = new DataViewSchema.Builder();
        schema.AddColumn(ImageDatasetColumns.Features, input.Schema[ImageDatasetColumns.Features].Type);
        schema.AddColumn(ImageDatasetColumns.Label, input.Schema[ImageDatasetColumns.Label].Type);
        OutputFiles.Write(output, stream => ml.Model.Save(model, schema.ToSchema(), stream));
        report.Complete(model.TrainingHistory);

        Console.WriteLine($"saved {output}");
    }
}
