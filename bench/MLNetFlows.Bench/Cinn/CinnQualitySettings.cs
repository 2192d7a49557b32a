using System.Globalization;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Trainers;
using MLNetFlows.Trainers.Cinn;

namespace MLNetFlows.Bench.Cinn;

/// <summary>The command line of <see cref="CinnQualityBenchmark"/>: the run's budget and the trainer settings it overrides.</summary>
internal sealed class CinnQualitySettings
{
    public const string Usage =
        "MLNetFlows.Bench cinn quality [--threads N] [--minutes M] [--seed S] [--test-images N] [--samples-per-class N (0 = skip the classifier)] " +
        "[--temperatures 1.0,0.7] [--classifier-epochs E] [--hidden H] [--blocks K] [--batch B] [--lr X] [--weight-decay X] [--noise X] [--encoding OneHot|Embedding] [--prior StandardNormal|ClassGaussian] [--clip X] [--epochs E] [--schedule Constant|Cosine] [--warmup S] [--weight-averaging D (0 = off)]";

    public int Threads { get; private set; } = 1;

    public double Minutes { get; private set; } = 5;

    public int Seed { get; private set; } = 1;

    public int TestImages { get; private set; } = 10_000;

    public int SamplesPerClass { get; private set; } = 1000;

    public double[] Temperatures { get; private set; } = [1.0, 0.7];

    public int ClassifierEpochs { get; private set; } = 3;

    public int? Hidden { get; private set; }

    public int? Blocks { get; private set; }

    public int? Batch { get; private set; }

    public double? LearningRate { get; private set; }

    public double? WeightDecay { get; private set; }

    public double? Noise { get; private set; }

    public ClassEncoding? Encoding { get; private set; }

    public LatentPrior? Prior { get; private set; }

    public double? Clip { get; private set; }

    public int Epochs { get; private set; } = 1000;

    public LearningRateSchedule? Schedule { get; private set; }

    public int? Warmup { get; private set; }

    public double? WeightAveraging { get; private set; }

    /// <summary>Reads <paramref name="args"/>; false with the reason on an unknown or malformed argument.</summary>
    public bool Parse(string[] args, out string error)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (i + 1 >= args.Length)
            {
                error = $"argument '{args[i]}' needs a value";
                return false;
            }

            var value = args[++i];
            try
            {
                switch (args[i - 1])
                {
                    case "--threads": Threads = Int(value); break;
                    case "--minutes": Minutes = Real(value); break;
                    case "--seed": Seed = Int(value); break;
                    case "--test-images": TestImages = Int(value); break;
                    case "--samples-per-class": SamplesPerClass = Int(value); break;
                    case "--temperatures": Temperatures = [.. value.Split(',').Select(Real)]; break;
                    case "--classifier-epochs": ClassifierEpochs = Int(value); break;
                    case "--hidden": Hidden = Int(value); break;
                    case "--blocks": Blocks = Int(value); break;
                    case "--batch": Batch = Int(value); break;
                    case "--lr": LearningRate = Real(value); break;
                    case "--weight-decay": WeightDecay = Real(value); break;
                    case "--noise": Noise = Real(value); break;
                    case "--encoding": Encoding = Enum.Parse<ClassEncoding>(value, ignoreCase: true); break;
                    case "--prior": Prior = Enum.Parse<LatentPrior>(value, ignoreCase: true); break;
                    case "--clip": Clip = Real(value); break;
                    case "--epochs": Epochs = Int(value); break;
                    case "--schedule": Schedule = Enum.Parse<LearningRateSchedule>(value, ignoreCase: true); break;
                    case "--warmup": Warmup = Int(value); break;
                    case "--weight-averaging": WeightAveraging = Real(value); break;
                    default:
                        error = $"unknown argument '{args[i - 1]}'";
                        return false;
                }
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                error = $"argument '{args[i - 1]}' has a malformed value '{value}'";
                return false;
            }
        }

        error = "";
        return Threads >= 1 && Minutes > 0 && TestImages >= 1 && SamplesPerClass >= 0 && ClassifierEpochs >= 1 && Epochs >= 1 && Warmup is null or >= 0
            || Fail("--threads, --minutes, --test-images, --classifier-epochs and --epochs must be positive, --warmup and --samples-per-class non-negative", out error);
    }

    /// <summary>
    /// The trainer's defaults with this run's overrides: all 60 000 images, no validation split, the time budget (a cosine
    /// schedule plans its descent over --epochs, so give the epochs that fit the budget).
    /// </summary>
    public ConditionalInnTrainerOptions TrainerOptions()
    {
        var options = new ConditionalInnTrainerOptions
        {
            ImageHeight = 28, ImageWidth = 28, NumberOfEpochs = Epochs, ValidationFraction = 0,
            MaxTrainingTime = TimeSpan.FromMinutes(Minutes),
        };
        options.HiddenChannels = Hidden ?? options.HiddenChannels;
        options.BlocksPerLevel = Blocks ?? options.BlocksPerLevel;
        options.BatchSize = Batch ?? options.BatchSize;
        options.LearningRate = LearningRate ?? options.LearningRate;
        options.WeightDecay = WeightDecay ?? options.WeightDecay;
        options.NoiseStandardDeviation = Noise ?? options.NoiseStandardDeviation;
        options.ClassEncoding = Encoding ?? options.ClassEncoding;
        options.LatentPrior = Prior ?? options.LatentPrior;
        options.GradientClipNorm = Clip ?? options.GradientClipNorm;
        options.LearningRateSchedule = Schedule ?? options.LearningRateSchedule;
        options.WarmupSteps = Warmup ?? options.WarmupSteps;
        options.WeightAveragingDecay = WeightAveraging is { } decay ? (decay == 0 ? null : decay) : options.WeightAveragingDecay;
        return options;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static double Real(string value) => double.Parse(value, CultureInfo.InvariantCulture);
}
