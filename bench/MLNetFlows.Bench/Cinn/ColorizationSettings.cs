using System.Globalization;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers.Cinn;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Bench.Cinn;

/// <summary>Command-line settings of <see cref="ColorizationBenchmark"/>.</summary>
internal sealed class ColorizationSettings
{
    public int Threads { get; private set; } = 1;

    public double Minutes { get; private set; } = 10;

    public int BatchSize { get; private set; } = ConditionalInnTrainerOptions.Defaults.BatchSize;

    public int Levels { get; private set; } = 3;

    public int Blocks { get; private set; } = ConditionalInnArchitecture.Defaults.BlocksPerLevel;

    public int Hidden { get; private set; } = ConditionalInnArchitecture.Defaults.HiddenChannels;

    public int ConditionFeatures { get; private set; } = ConditionalInnArchitecture.Defaults.ConditionFeatureChannels;

    public double LearningRate { get; private set; } = ConditionalInnTrainerOptions.Defaults.LearningRate;

    public double[] Temperatures { get; private set; } = [1.0, 0.7];

    public int Samples { get; private set; } = 8;

    public string GridPath { get; private set; } = "colorization-grid.png";

    public int Seed { get; private set; } = 1;

    /// <summary>Reads <paramref name="args"/>; false on an unknown or malformed argument (reported on stderr).</summary>
    public bool Parse(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"argument '{args[i]}' needs a value");
                return false;
            }

            var value = args[++i];
            switch (args[i - 1])
            {
                case "--threads": Threads = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--minutes": Minutes = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--batch": BatchSize = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--levels": Levels = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--blocks": Blocks = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--hidden": Hidden = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--condition-features": ConditionFeatures = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--learning-rate": LearningRate = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--temperatures": Temperatures = [.. value.Split(',').Select(t => double.Parse(t, CultureInfo.InvariantCulture))]; break;
                case "--samples": Samples = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--grid": GridPath = value; break;
                case "--seed": Seed = int.Parse(value, CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i - 1]}'");
                    return false;
            }
        }

        return true;
    }

    /// <summary>The training options: 32 × 32 colorization patches, trained until the wall-clock budget ends.</summary>
    public ConditionalInnTrainerOptions Options() => new()
    {
        ImageHeight = ColorPatches.DefaultPatchSize, ImageWidth = ColorPatches.DefaultPatchSize, Channels = 2,
        Condition = ConditionKind.Image, ConditionImageChannels = 1, ConditionFeatureChannels = ConditionFeatures,
        Levels = Levels, BlocksPerLevel = Blocks, HiddenChannels = Hidden, BatchSize = BatchSize, LearningRate = LearningRate,
        NumberOfEpochs = 100_000, ValidationFraction = 0, MaxTrainingTime = TimeSpan.FromMinutes(Minutes), Seed = Seed,
    };
}
